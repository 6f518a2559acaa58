/**
 * Bad input, through the CLI (in this process: the same commands, host and session worker, without a spawn per
 * case): malformed, truncated, wrongly encoded and hostile XML; a foreign, damaged or tampered `.synccenter`
 * database; metadata naming paths outside the root; hostile command-line arguments.
 *
 * Each gives a clear error that names the file or argument (exit code 1 for a sync that could not run, 2 for a
 * wrong command line) and writes nothing: replica files are byte-for-byte as they were, no item is added.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/runCli.ts';
import { makeTempDir, removeTempDirs } from '../handlers/folders/testFolders.ts';
import { MetadataStore } from '../store/metadata/metadataStore.ts';
import { leftoverTempFiles, sha256, snapshotTree } from './proofKit.ts';

afterAll(removeTempDirs);

/** Runs `synccenter --data-dir <dataDir> ...args` here; resolves with the exit code and what it printed. */
async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { out: (text: string) => void (out += `${text}\n`), err: (text: string) => void (err += `${text}\n`), isTty: false };
  const code = await runCli(['--data-dir', dataDir, ...args], { ...process.env, SYNCCENTER_LANG: 'en' }, io);
  return { code, out, err };
}

/** The newest error event of the data dir, as `synccenter --json events` prints it. */
async function lastError(dataDir: string): Promise<string> {
  const events = JSON.parse((await cli(dataDir, '--json', 'events', '--level', 'error')).out) as { description: string }[];
  return events[0]?.description ?? '(no error event)';
}

/** Bytes of every file under `directory` (to prove nothing was written), by relative path. */
function bytesUnder(directory: string): Map<string, string> {
  return new Map([...snapshotTree(directory)].filter(([name]) => !name.includes('.synccenter')));
}

const goodXml = '<?xml version="1.0" encoding="UTF-8"?>\n<items>\n  <item id="a" v="1"><note>kept</note></item>\n</items>\n';
const latin1 = (text: string) => Buffer.from(text, 'latin1');
const hostileXml: Record<string, { bytes: Buffer; code: string; mentions: RegExp }> = {
  'malformed (a close tag that does not match)': { bytes: Buffer.from('<?xml version="1.0"?>\n<items>\n  <item id="b">\n</items>\n'), code: 'XML_MALFORMED', mentions: /line 4/ },
  'truncated in the middle of an element': { bytes: Buffer.from(goodXml.slice(0, 60)), code: 'XML_MALFORMED', mentions: /line \d+/ },
  'Latin-1 bytes in a file declared UTF-8': { bytes: latin1('<?xml version="1.0" encoding="UTF-8"?>\n<items>\n  <item id="b" v="café"/>\n</items>\n'), code: 'XML_ENCODING', mentions: /not valid UTF-8/ },
  'declared ISO-8859-1': { bytes: latin1('<?xml version="1.0" encoding="ISO-8859-1"?>\n<items>\n  <item id="b" v="plain"/>\n</items>\n'), code: 'XML_ENCODING', mentions: /ISO-8859-1/ },
  'UTF-16 with a byte-order mark': { bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0"?>\n<items/>\n', 'utf16le')]), code: 'XML_ENCODING', mentions: /UTF-8/ },
  'an external entity (XXE)': { bytes: Buffer.from('<?xml version="1.0"?>\n<!DOCTYPE items [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<items>\n  <item id="b" v="&x;"/>\n</items>\n'), code: 'XML_DOCTYPE_REFUSED', mentions: /DOCTYPE/ },
  'entity expansion (billion laughs)': {
    bytes: Buffer.from(`<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "lol">${Array.from({ length: 9 }, (_, index) => `<!ENTITY ${String.fromCharCode(98 + index)} "${`&${String.fromCharCode(97 + index)};`.repeat(10)}">`).join('')}]>\n<items>\n  <item id="b" v="&j;"/>\n</items>\n`),
    code: 'XML_DOCTYPE_REFUSED',
    mentions: /DOCTYPE/,
  },
  'an undeclared entity': { bytes: Buffer.from('<?xml version="1.0"?>\n<items>\n  <item id="b" v="&boom;"/>\n</items>\n'), code: 'XML_MALFORMED', mentions: /entity/ },
  'a huge attribute (8 MB)': { bytes: Buffer.from(`<?xml version="1.0"?>\n<items>\n  <item id="b" v="${'x'.repeat(8 * 1024 * 1024)}"/>\n</items>\n`), code: 'XML_TOO_LARGE', mentions: /attribute v/ },
  'duplicate ids': { bytes: Buffer.from('<?xml version="1.0"?>\n<items>\n  <item id="b" v="1"/>\n  <item id="b" v="2"/>\n</items>\n'), code: 'XML_DUPLICATE_ID', mentions: /"b"/ },
  'an element without an id': { bytes: Buffer.from('<?xml version="1.0"?>\n<items>\n  <item v="1"/>\n</items>\n'), code: 'XML_MISSING_ID', mentions: /no id/ },
  'binary bytes': { bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), code: 'XML_ENCODING', mentions: /UTF-8/ },
};

describe('bad input', () => {
  it.each(Object.entries(hostileXml))('XML: %s gives a clear error and writes nothing', async (_name, { bytes, code, mentions }) => {
    const directory = makeTempDir('bad-xml');
    const [left, right, dataDir] = [path.join(directory, 'left.xml'), path.join(directory, 'right.xml'), path.join(directory, 'data')];
    fs.writeFileSync(left, goodXml);
    fs.writeFileSync(right, bytes);
    expect((await cli(dataDir, 'add', 'xml', left, right)).code).toBe(0);
    const sync = await cli(dataDir, 'sync');
    expect(sync.code, sync.out + sync.err).toBe(1);
    const message = await lastError(dataDir);
    expect(message).toContain(right);
    expect(message).toContain(code);
    expect(message).toMatch(mentions);
    expect(message).toMatch(/Nothing was written/);
    expect([fs.readFileSync(left, 'utf8'), sha256(fs.readFileSync(right))]).toEqual([goodXml, sha256(bytes)]);
    expect(leftoverTempFiles(directory)).toEqual([]);
  });

  /** A folder pair synced once through the CLI, then one more file on the left to sync. */
  async function syncedFolderPair(): Promise<{ left: string; right: string; dataDir: string; database: string }> {
    const base = makeTempDir('bad-meta');
    const [left, right, dataDir] = [path.join(base, 'left'), path.join(base, 'right'), path.join(base, 'data')];
    fs.mkdirSync(left);
    fs.mkdirSync(right);
    fs.writeFileSync(path.join(left, 'a.txt'), 'a');
    expect((await cli(dataDir, 'add', 'folders', left, right)).code).toBe(0);
    expect((await cli(dataDir, 'sync')).code).toBe(0);
    fs.writeFileSync(path.join(left, 'new.txt'), 'not synced while the metadata is bad');
    return { left, right, dataDir, database: path.join(right, '.synccenter', 'metadata.db') };
  }

  const checkpointed = (database: string) => {
    const db = new DatabaseSync(database);
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    db.close();
    for (const suffix of ['-wal', '-shm']) fs.rmSync(database + suffix, { force: true });
  };
  const tamperings: Record<string, { tamper: (database: string) => void; code: string }> = {
    'a foreign SQLite database (another program\'s)': {
      tamper: (database) => {
        checkpointed(database);
        fs.rmSync(database);
        const db = new DatabaseSync(database);
        db.exec('CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES (\'mine\')');
        db.close();
      },
      code: 'METADATA_FOREIGN',
    },
    'bytes that are not a database': { tamper: (database) => (checkpointed(database), fs.writeFileSync(database, Buffer.alloc(8192, 0x41))), code: 'METADATA_CORRUPT' },
    'a database cut in half': { tamper: (database) => (checkpointed(database), fs.writeFileSync(database, fs.readFileSync(database).subarray(0, 8192))), code: 'METADATA_CORRUPT' },
    'tampered knowledge': {
      tamper: (database) => {
        const db = new DatabaseSync(database);
        db.exec("UPDATE replica SET knowledge = x'deadbeef'");
        db.close();
      },
      code: 'KNOWLEDGE_FORMAT',
    },
    'a schema from a newer Sync Center': {
      tamper: (database) => {
        const db = new DatabaseSync(database);
        db.exec('PRAGMA user_version = 99');
        db.close();
      },
      code: 'METADATA_FOREIGN',
    },
    'another replica\'s database put in its place': {
      tamper: (database) => {
        const db = new DatabaseSync(database);
        db.exec("UPDATE replica SET replica_id = '11111111-1111-4111-8111-111111111111'");
        db.close();
      },
      code: 'ROOT_MISSING',
    },
  };

  it.each(Object.entries(tamperings))('metadata: %s is refused with a clear error, left untouched, and nothing is synced', async (_name, { tamper, code }) => {
    const pair = await syncedFolderPair();
    tamper(pair.database);
    const before = { left: bytesUnder(pair.left), right: bytesUnder(pair.right), database: sha256(fs.readFileSync(pair.database)) };
    const sync = await cli(pair.dataDir, 'sync');
    expect(sync.code, sync.out + sync.err).toBe(1);
    const message = await lastError(pair.dataDir);
    expect(message).toContain(code);
    expect(message).toContain(code === 'KNOWLEDGE_FORMAT' ? 'knowledge' : pair.right);
    expect({ left: bytesUnder(pair.left), right: bytesUnder(pair.right), database: sha256(fs.readFileSync(pair.database)) }).toEqual(before);
  });

  it.each(['../escape.txt', '/tmp/synccenter-absolute-escape.txt', 'sub/../../escape.txt', '.synccenter/metadata.db'])(
    'metadata naming %s (outside the root or reserved) is refused with an event naming it, never written nor recorded as synced',
    async (name) => {
      const pair = await syncedFolderPair();
      const leftDatabase = path.join(pair.left, '.synccenter', 'metadata.db');
      // A damaged or malicious replica: an item whose name leaves the root, as a new change of the left side.
      const store = MetadataStore.open({ path: leftDatabase, replicaId: () => '00000000-0000-4000-8000-000000000000' });
      const model = store.findLiveItemByName('a.txt');
      if (model === undefined) throw new Error('a.txt is not recorded');
      const version = { key: 0, tick: store.tickCount() + 1 };
      const forged = { ...model, itemId: '99999999-9999-4999-8999-999999999999', name, created: version, version, units: model.units.map((unit) => ({ ...unit, version })) };
      store.commit({ records: [forged], knowledge: store.knowledge().withTick(0, version.tick), tickCount: version.tick });
      store.close();
      const rightBefore = bytesUnder(pair.right);
      const outside = [path.join(path.dirname(pair.left), 'escape.txt'), path.join(path.dirname(pair.right), 'escape.txt'), '/tmp/synccenter-absolute-escape.txt'];
      const sync = await cli(pair.dataDir, 'sync');
      expect(outside.filter((file) => fs.existsSync(file))).toEqual([]);
      expect([...bytesUnder(pair.right)].filter(([file]) => !rightBefore.has(file) && file !== 'new.txt')).toEqual([]);
      const events = JSON.parse((await cli(pair.dataDir, '--json', 'events')).out) as { description: string; context?: string | null }[];
      expect(events.some((event) => event.description.includes(name) || event.context === name), `${sync.out}${JSON.stringify(events)}`).toBe(true);
      const rightStore = MetadataStore.open({ path: pair.database, replicaId: () => '00000000-0000-4000-8000-000000000000' });
      const recorded = rightStore.getItem(forged.itemId);
      rightStore.close();
      expect(recorded?.deleted ?? true, `the right side recorded "${name}" as synced although nothing was written`).toBe(true);
    },
  );

  it('the scan state naming paths outside the root is ignored: nothing is written or deleted outside the root', async () => {
    const pair = await syncedFolderPair();
    const victim = path.join(path.dirname(pair.left), 'victim.txt');
    fs.writeFileSync(victim, 'outside the root, must stay');
    const stateFile = path.join(pair.left, '.synccenter', 'scan-state.tsv');
    const line = fs.readFileSync(stateFile, 'utf8').split('\n').find((entry) => entry.startsWith('a.txt\t')) ?? '';
    fs.appendFileSync(stateFile, `${line.replace(/^a\.txt/, '../victim.txt')}\n${line.replace(/^a\.txt/, '/etc/hostname')}\n`);
    await cli(pair.dataDir, 'sync');
    expect(fs.readFileSync(victim, 'utf8')).toBe('outside the root, must stay');
    expect(fs.existsSync('/etc/hostname') ? fs.statSync('/etc/hostname').isFile() : true).toBe(true);
    expect(fs.existsSync(path.join(pair.right, 'a.txt'))).toBe(true);
  });

  const hostileArguments: string[][] = [
    ['frobnicate'],
    ['--no-such-option', 'list'],
    ['add', 'folders'],
    ['add', 'folders', 'only-one'],
    ['add', 'no-such-handler', 'a', 'b'],
    ['add', 'folders', '/no/such/folder', '/no/such/other'],
    ['add', 'folders', '/tmp', '/tmp'],
    ['add', 'folders', '/', '/tmp'],
    ['add', 'folders', '--conflict-policy', 'yolo', '/tmp', '/var'],
    ['add', 'folders', '--name', 'x'.repeat(100_000), '/tmp', '/var'],
    ['add', 'xml', '/tmp/a.txt', '/tmp/b.xml'],
    ['sync', '--item', 'no-such-item'],
    ['sync', '--handler', '../../etc'],
    ['stop', '--item', "'; DROP TABLE events; --"],
    ['enable', 'no-such-item'],
    ['remove', 'no-such-item'],
    ['resolve', 'no-such-conflict', '--keep', 'left'],
    ['resolve', 'x', '--keep', 'sideways'],
    ['resolve', 'x', '--keep', 'left', '--skip'],
    ['events', '--limit', '-5'],
    ['events', '--limit', 'abc'],
    ['events', '--limit', '1e9'],
    ['events', '--level', 'catastrophic'],
    ['serve', '--port', '99999'],
    ['serve', '--port', 'http'],
  ];

  it.each(hostileArguments.map((args) => [args.join(' ').slice(0, 60), args] as const))('the command line `%s` exits 2 with a clear message and writes nothing', async (_label, args) => {
    const base = makeTempDir('bad-cli');
    const dataDir = path.join(base, 'data');
    const [left, right] = [path.join(base, 'left'), path.join(base, 'right')];
    fs.mkdirSync(left);
    fs.mkdirSync(right);
    fs.writeFileSync(path.join(left, 'mine.txt'), 'mine');
    expect((await cli(dataDir, 'add', 'folders', left, right)).code).toBe(0);
    const listBefore = (await cli(dataDir, '--json', 'list')).out;
    const before = [bytesUnder(left), bytesUnder(right)];
    const run = await cli(dataDir, ...args);
    expect(run.code, `${run.out}${run.err}`).toBe(2);
    expect(run.err.trim().length).toBeGreaterThan(10);
    expect(run.err).not.toMatch(/at .*\.ts:\d+|TypeError|SQLITE|datatype mismatch/);
    expect((await cli(dataDir, '--json', 'list')).out).toBe(listBefore);
    expect([bytesUnder(left), bytesUnder(right)]).toEqual(before);
    const events = JSON.parse((await cli(dataDir, '--json', 'events')).out) as unknown[];
    expect(events).toEqual([]);
  });

  it('a fresh data dir is not created by a command line the parser refuses', async () => {
    const dataDir = path.join(makeTempDir('bad-cli-fresh'), 'never');
    expect((await cli(dataDir, 'frobnicate')).code).toBe(2);
    expect((await cli(dataDir, 'events', '--limit', 'abc')).code).toBe(2);
    expect(fs.existsSync(dataDir)).toBe(false);
  });
});

