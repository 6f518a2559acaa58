import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../engine/testSupport.ts';
import { MetadataStore } from './metadataStore.ts';

const REPLICA = '00000000-0000-4000-8000-0000000000aa';
const stores: MetadataStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function open(file: string): MetadataStore {
  const store = MetadataStore.open({ path: file, replicaId: () => REPLICA });
  stores.push(store);
  return store;
}

describe('MetadataStore', () => {
  it('creates a store with WAL, an application id and STRICT tables, and reopens it', () => {
    const file = path.join(tempDir(), 'nested', 'metadata.db');
    const store = open(file);
    expect(store.replicaId).toBe(REPLICA);
    expect(store.tickCount()).toBe(0);
    const version = { key: 0, tick: 1 };
    store.commit({ records: [{ itemId: 'a', name: 'A', created: version, version, deleted: false, units: [{ unitId: 'u', version, hash: 'x' }] }], knowledge: store.knowledge().withTick(0, 1), tickCount: 1 });
    store.close();
    const again = open(file);
    expect(again.getItem('a')).toMatchObject({ name: 'A', units: [{ unitId: 'u', hash: 'x' }] });
    expect(again.findLiveItemByName('A')?.itemId).toBe('a');
    expect(again.knowledge().containsChange(REPLICA, 'a', 1)).toBe(true);
    const db = new DatabaseSync(file);
    expect(db.prepare('PRAGMA journal_mode').get()?.journal_mode).toBe('wal');
    const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table'").all().map((row) => String(row.sql));
    for (const statement of sql) expect(statement).toMatch(/STRICT/);
    db.close();
  });

  it('finds changed items through the change-tick index, not a scan', () => {
    const store = open(path.join(tempDir(), 'metadata.db'));
    const records = Array.from({ length: 50 }, (_, index) => {
      const version = { key: 0, tick: index + 1 };
      return { itemId: `i${index}`, name: `n${index}`, created: version, version, deleted: false, units: [] };
    });
    store.commit({ records, knowledge: store.knowledge().withTick(0, 50), tickCount: 50 });
    expect([...store.changedItemIds([47])].sort()).toEqual(['i47', 'i48', 'i49']);
    const db = new DatabaseSync(store.path);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT item_id FROM items WHERE change_key = ? AND change_tick > ?').all(0, 47).map((row) => String(row.detail)).join(' ');
    expect(plan).toMatch(/USING (COVERING )?INDEX items_by_change/);
    db.close();
  });

  it('refuses a foreign SQLite database and a non-database file, leaving them untouched', () => {
    const dir = tempDir();
    const foreign = path.join(dir, 'foreign.db');
    const db = new DatabaseSync(foreign);
    db.exec('CREATE TABLE notes (x TEXT)');
    db.close();
    const before = fs.readFileSync(foreign);
    expect(() => open(foreign)).toThrow(expect.objectContaining({ code: 'METADATA_FOREIGN' }));
    expect(fs.readFileSync(foreign).equals(before)).toBe(true);
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'this is not a database, just text that is long enough to look like a header...'.repeat(20));
    expect(() => open(junk)).toThrow(expect.objectContaining({ code: expect.stringMatching(/METADATA_(CORRUPT|FOREIGN)/) }));
    expect(fs.readFileSync(junk, 'utf8')).toMatch(/^this is not a database/);
  });

  it('refuses a store written by a newer schema', () => {
    const file = path.join(tempDir(), 'metadata.db');
    open(file).close();
    const db = new DatabaseSync(file);
    db.exec('PRAGMA user_version = 99');
    db.close();
    expect(() => open(file)).toThrow(/newer/);
  });

  it('a full disk at commit is NO_SPACE naming the store, which keeps its previous state and stays usable', () => {
    const store = open(path.join(tempDir(), 'metadata.db'));
    const record = (itemId: string, tick: number, hash: string) => {
      const version = { key: 0, tick };
      return { itemId, name: itemId, created: version, version, deleted: false, units: [{ unitId: 'content', version, hash }] };
    };
    store.commit({ records: [record('a', 1, 'kept')], knowledge: store.knowledge().withTick(0, 1), tickCount: 1 });
    // The store's file may not grow any more: SQLite fails the commit with SQLITE_FULL, as on a full disk.
    const db = (store as unknown as { db: DatabaseSync }).db;
    const { page_count: pages } = db.prepare('PRAGMA page_count').get() as { page_count: number };
    db.exec(`PRAGMA max_page_count = ${pages}`);
    const many = Array.from({ length: 2000 }, (_, index) => record(`n${index}`, index + 2, 'x'.repeat(64)));
    expect(() => store.commit({ records: many, knowledge: store.knowledge().withTick(0, 2001), tickCount: 2001 })).toThrow(
      expect.objectContaining({ name: 'MetadataDiskFullError', code: 'NO_SPACE', path: store.path, message: expect.stringContaining(`No space left to record this sync in "${store.path}"`) }),
    );
    // Nothing of the failed commit, everything from before; the next commit (once there is room) goes through.
    expect(store.tickCount()).toBe(1);
    expect(store.getItem('n0')).toBeUndefined();
    expect(store.getItem('a')).toMatchObject({ units: [{ hash: 'kept' }] });
    db.exec('PRAGMA max_page_count = 1073741823');
    store.commit({ records: many, knowledge: store.knowledge().withTick(0, 2001), tickCount: 2001 });
    expect(store.counts().live).toBe(2001);
  });

  it('purges tombstones into forgotten knowledge', () => {
    const store = open(path.join(tempDir(), 'metadata.db'));
    const version = { key: 0, tick: 3 };
    store.commit({ records: [{ itemId: 'gone', name: 'g', created: { key: 0, tick: 1 }, version, deleted: true, units: [] }], knowledge: store.knowledge().withTick(0, 3), tickCount: 3 });
    expect(store.purgeTombstones(() => true)).toBe(1);
    expect(store.getItem('gone')).toBeUndefined();
    expect(store.forgottenKnowledge().containsChange(REPLICA, 'gone', 3)).toBe(true);
    expect(store.knowledge().contains(store.forgottenKnowledge())).toBe(true);
  });

  it('a process killed mid-commit leaves the store consistent: before or after each batch', async () => {
    const file = path.join(tempDir(), 'metadata.db');
    const script = path.join(import.meta.dirname, 'killSafetyChild.ts');
    for (const delay of [5, 40, 120]) {
      await new Promise<void>((resolve, reject) => {
        const proc = spawn(process.execPath, [script, file], { stdio: ['ignore', 'pipe', 'pipe'] });
        let errors = '';
        proc.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
        proc.stdout.once('data', () => setTimeout(() => proc.kill('SIGKILL'), delay));
        proc.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited on its own: ${errors}`))));
      });
      const store = open(file);
      expect(store.integrityCheck()).toBe('ok');
      const { live } = store.counts();
      expect(live).toBe(store.tickCount() * 500);
      const child = store.replicaId;
      expect(store.knowledge().containsChange(child, 'x', store.tickCount())).toBe(true);
      expect(store.knowledge().containsChange(child, 'x', store.tickCount() + 1)).toBe(false);
      store.close();
    }
  }, 30_000);
});
