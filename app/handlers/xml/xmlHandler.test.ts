/**
 * The xml handler inside a real core: setup, a two-way sync, a concurrent edit surfacing as a conflict with both
 * elements, its resolution, and the bad inputs a user can type.
 */
import { linkSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSyncCenter, type SyncCenter } from '../../control/syncCenter.ts';
import { builtInHandlers } from '../../runtime/builtInHandlers.ts';

let dir: string;
let core: SyncCenter;
const file = (name: string) => path.join(dir, name);
const replica = (...elements: string[]) => `<?xml version="1.0"?>\n<contacts>\n${elements.map((element) => `  ${element}\n`).join('')}</contacts>\n`;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'xml-handler-'));
  core = await createSyncCenter({ stateDir: file('state'), version: 'test', handlers: builtInHandlers().filter((registration) => registration.id === 'xml') });
});

afterEach(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

async function addPair(): Promise<string> {
  writeFileSync(file('laptop.xml'), replica('<contact id="ana"><email>ana@example.org</email></contact>'));
  writeFileSync(file('phone.xml'), replica('<contact id="ben"><email>ben@example.org</email></contact>'));
  const item = await core.api.addItem({ handlerId: 'xml', args: [file('laptop.xml'), file('phone.xml')], name: 'Contacts' });
  return item.id;
}

describe('xml handler', () => {
  it('is listed with its item after setup', async () => {
    const itemId = await addPair();
    const [handler] = await core.api.listHandlers({});
    expect(handler).toMatchObject({ id: 'xml', items: [{ id: itemId, name: 'Contacts' }] });
  });

  it('syncs both files both ways', async () => {
    const itemId = await addPair();
    const result = await core.api.startItemSync({ handlerId: 'xml', itemIds: [itemId] });
    expect(result).toMatchObject({ status: 'succeeded', conflicts: 0 });
    for (const name of ['laptop.xml', 'phone.xml']) {
      const text = readFileSync(file(name), 'utf8');
      expect(text).toContain('ana@example.org');
      expect(text).toContain('ben@example.org');
    }
    expect(await core.api.getItemDetails({ handlerId: 'xml', itemId })).toMatchObject({
      browsable: true,
      locations: [
        { side: 'left', path: file('laptop.xml') },
        { side: 'right', path: file('phone.xml') },
      ],
      conflictPolicy: 'ask',
      lastSession: { outcome: 'succeeded', conflicts: 0, toRight: { created: 1, failed: 0 }, toLeft: { created: 1, failed: 0 } },
    });
  });

  it('takes the same element created in both files as one item, not a conflict', async () => {
    writeFileSync(file('a.xml'), replica('<contact id="ana"><email>ana@example.org</email></contact>'));
    writeFileSync(file('b.xml'), replica('<contact id="ana"><email>ana@example.org</email></contact>', '<contact id="cy"/>'));
    const { id } = await core.api.addItem({ handlerId: 'xml', args: [file('a.xml'), file('b.xml')] });
    expect(await core.api.startItemSync({ handlerId: 'xml', itemIds: [id] })).toMatchObject({ status: 'succeeded', conflicts: 0 });
    expect(await core.api.startItemSync({ handlerId: 'xml', itemIds: [id] })).toMatchObject({ status: 'succeeded', conflicts: 0 });
    expect(readFileSync(file('a.xml'), 'utf8').match(/id="ana"/g)).toHaveLength(1);
    expect(readFileSync(file('a.xml'), 'utf8')).toContain('id="cy"');
  });

  it('turns a concurrent edit into a conflict with both elements, and resolves it', async () => {
    const itemId = await addPair();
    await core.api.startItemSync({ handlerId: 'xml', itemIds: [itemId] });
    for (const [name, email] of [['laptop.xml', 'ana@work.example'], ['phone.xml', 'ana@home.example']] as const) {
      writeFileSync(file(name), readFileSync(file(name), 'utf8').replace('ana@example.org', email));
    }
    const result = await core.api.startItemSync({ handlerId: 'xml', itemIds: [itemId] });
    expect(result.conflicts).toBe(1);
    const [conflict] = await core.api.listConflicts({ handlerId: 'xml' });
    expect(conflict?.name).toBe('ana');
    expect(conflict?.versions.map((version) => version.preview?.text ?? '')).toEqual([expect.stringContaining('ana@work.example'), expect.stringContaining('ana@home.example')]);
    // No modification time: an element has none (the conflict's detection time once stood in for one side's); the
    // description says what keeping the newer version keeps instead.
    expect(conflict?.versions.map((version) => version.modifiedTime)).toEqual([null, null]);
    expect(conflict?.description).toBe('Both versions changed since the last sync. An element keeps no time of its own: keeping the newer version keeps the one the sync order puts last.');
    // An element cannot leave its pair: said in the host's language, nothing resolved.
    await expect(core.api.resolveConflict({ conflictId: conflict!.id, choice: 'removeFromSyncSet' })).rejects.toMatchObject({ code: 'NOT_SUPPORTED', message: 'An XML element cannot be taken out of its replica pair; keep one version, or both.' });
    vi.stubEnv('SYNCCENTER_LANG', 'fr');
    await expect(core.api.resolveConflict({ conflictId: conflict!.id, choice: 'removeFromSyncSet' })).rejects.toMatchObject({ code: 'NOT_SUPPORTED', message: expect.stringMatching(/^Un élément XML ne peut pas être retiré/) });
    vi.unstubAllEnvs();
    expect(await core.api.listConflicts({})).toHaveLength(1);
    const stateOf = async () => (await core.api.listHandlers({})).find((handler) => handler.id === 'xml')?.items.find((item) => item.id === itemId)?.state;
    expect(await stateOf()).toBe('conflict');
    await core.api.resolveConflict({ conflictId: conflict!.id, choice: 'keepLeft' });
    expect(await core.api.listConflicts({})).toEqual([]);
    expect(await stateOf()).toBe('succeeded'); // the resolution synced the pair
    for (const name of ['laptop.xml', 'phone.xml']) {
      expect(readFileSync(file(name), 'utf8')).toContain('ana@work.example');
      expect(readFileSync(file(name), 'utf8')).not.toContain('ana@home.example');
    }
  });

  it('shows two different elements created under one id as one conflict, and "keep all" puts both in both files', async () => {
    writeFileSync(file('a.xml'), replica('<contact id="ana"><email>ana@work.example</email></contact>'));
    writeFileSync(file('b.xml'), replica('<contact id="ana"><email>ana@home.example</email></contact>'));
    const { id } = await core.api.addItem({ handlerId: 'xml', args: [file('a.xml'), file('b.xml')] });
    expect(await core.api.startItemSync({ handlerId: 'xml', itemIds: [id] })).toMatchObject({ conflicts: 1 });
    const [conflict, ...more] = await core.api.listConflicts({ handlerId: 'xml' });
    expect([conflict?.kind, conflict?.name, more]).toEqual(['collision', 'ana', []]);
    await core.api.resolveConflict({ conflictId: conflict!.id, choice: 'keepAll' });
    expect(await core.api.startItemSync({ handlerId: 'xml', itemIds: [id] })).toMatchObject({ status: 'succeeded', conflicts: 0 });
    for (const name of ['a.xml', 'b.xml']) {
      expect(readFileSync(file(name), 'utf8')).toMatch(/id="ana">\s*<email>ana@work\.example/);
      expect(readFileSync(file(name), 'utf8')).toMatch(/id="ana-right">\s*<email>ana@home\.example/);
    }
  });

  it('with the "keep both" policy, settles a collision and a concurrent edit in one sync', async () => {
    writeFileSync(file('a.xml'), replica('<contact id="ana"><email>ana@work.example</email></contact>', '<contact id="ben"><email>ben@example.org</email></contact>'));
    writeFileSync(file('b.xml'), replica('<contact id="ana"><email>ana@home.example</email></contact>'));
    const { id } = await core.api.addItem({ handlerId: 'xml', args: [file('a.xml'), file('b.xml')], conflictPolicy: 'keepBoth' });
    expect(await core.api.startItemSync({ handlerId: 'xml', itemIds: [id] })).toMatchObject({ status: 'succeeded', conflicts: 0 });
    writeFileSync(file('a.xml'), readFileSync(file('a.xml'), 'utf8').replace('ben@example.org', 'ben@work.example'));
    writeFileSync(file('b.xml'), readFileSync(file('b.xml'), 'utf8').replace('ben@example.org', 'ben@home.example'));
    expect(await core.api.startItemSync({ handlerId: 'xml', itemIds: [id] })).toMatchObject({ status: 'succeeded', conflicts: 0 });
    const texts = ['a.xml', 'b.xml'].map((name) => readFileSync(file(name), 'utf8'));
    for (const text of texts) {
      for (const value of ['ana@work.example', 'ana@home.example', 'ben@work.example', 'ben@home.example']) expect(text).toContain(value);
      expect(text.match(/<contact /g)).toHaveLength(4);
    }
    expect(await core.api.listConflicts({})).toEqual([]);
  });

  it('fails the item with a clear event on malformed XML and writes nothing', async () => {
    const itemId = await addPair();
    const broken = replica('<contact id="ana"><email>ana@example.org</email>');
    writeFileSync(file('laptop.xml'), broken);
    const before = readFileSync(file('phone.xml'), 'utf8');
    const result = await core.api.startItemSync({ handlerId: 'xml', itemIds: [itemId] });
    expect(result.status).toBe('failed');
    const [event] = await core.api.listEvents({ level: 'error' });
    expect(event?.description).toMatch(/laptop\.xml, line 4, column \d+: .*not well-formed/);
    expect(readFileSync(file('laptop.xml'), 'utf8')).toBe(broken);
    expect(readFileSync(file('phone.xml'), 'utf8')).toBe(before);
  });

  it('refuses bad setup arguments with messages that name the path', async () => {
    const add = (args: string[]) => core.api.addItem({ handlerId: 'xml', args });
    await expect(add(['relative.xml', file('b.xml')])).rejects.toMatchObject({ code: 'BAD_PATH', message: expect.stringContaining('relative.xml') });
    await expect(add([file('a.xml'), file('a.xml')])).rejects.toMatchObject({ code: 'BAD_PATH' });
    await expect(add([file('a.txt'), file('b.xml')])).rejects.toMatchObject({ message: expect.stringContaining('.xml') });
    await expect(add([file('missing/a.xml'), file('b.xml')])).rejects.toMatchObject({ code: 'ROOT_MISSING', message: expect.stringContaining('missing') });
    await expect(add([file('only-one.xml')])).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    // One file under two names: a hard link, or the same folder reached through a link.
    writeFileSync(file('a.xml'), replica(''));
    linkSync(file('a.xml'), file('hard.xml'));
    await expect(add([file('a.xml'), file('hard.xml')])).rejects.toMatchObject({ code: 'BAD_PATH', message: expect.stringContaining('are the same place') });
    mkdirSync(file('real'));
    symlinkSync(file('real'), file('alias'));
    await expect(add([file('real/c.xml'), file('alias/c.xml')])).rejects.toMatchObject({ code: 'BAD_PATH', message: expect.stringContaining(`("${path.join(realpathSync(file('real')), 'c.xml')}", reached through a link`) });
    const [handler] = await core.api.listHandlers({});
    expect(handler?.items).toEqual([]);
  });
});
