import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handlerRegistrations, resolveDataDir } from './hostSettings.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'synccenter-settings-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('resolveDataDir: the one state directory of the app and the CLI', () => {
  it('takes --data-dir, then SYNCCENTER_HOME, then XDG_DATA_HOME, then ~/.local/share', () => {
    expect(resolveDataDir('rel/dir', { SYNCCENTER_HOME: '/home/a/sc' })).toBe(path.resolve('rel/dir'));
    expect(resolveDataDir(undefined, { SYNCCENTER_HOME: '/home/a/sc', XDG_DATA_HOME: '/x' })).toBe('/home/a/sc');
    expect(resolveDataDir('', { XDG_DATA_HOME: '/x/data' })).toBe('/x/data/synccenter');
    expect(resolveDataDir(undefined, { XDG_DATA_HOME: 'relative/ignored' })).toBe(path.join(homedir(), '.local', 'share', 'synccenter'));
    expect(resolveDataDir(undefined, {})).toBe(path.join(homedir(), '.local', 'share', 'synccenter'));
  });
});

describe('handlerRegistrations', () => {
  const ids = (env: NodeJS.ProcessEnv) => handlerRegistrations(env).map((registration) => registration.id);

  it('hosts the built-in handlers, then the named fixtures, then the registrations of SYNCCENTER_HANDLERS', () => {
    const builtIns = ids({});
    expect(builtIns).toEqual(expect.arrayContaining(['folders', 'xml']));
    const file = path.join(scratch, 'handlers.json');
    writeFileSync(file, JSON.stringify([{ id: 'mine', module: './mine.ts' }, { id: 'pkg', module: 'some-package' }]));
    const registrations = handlerRegistrations({ SYNCCENTER_FIXTURES: 'scripted, legacy', SYNCCENTER_HANDLERS: file });
    expect(registrations.map((registration) => registration.id)).toEqual([...builtIns, 'scripted', 'legacy-mail', 'mine', 'pkg']);
    // A relative module is found beside the file; a package specifier is left to the resolver.
    expect(registrations.at(-2)?.module).toBe(path.join(scratch, 'mine.ts'));
    expect(registrations.at(-1)?.module).toBe('some-package');
  });

  it('refuses a missing or malformed SYNCCENTER_HANDLERS file with BAD_REQUEST naming it', () => {
    const missing = path.join(scratch, 'absent.json');
    expect(() => handlerRegistrations({ SYNCCENTER_HANDLERS: missing })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringContaining(missing) }));
    const malformed = path.join(scratch, 'malformed.json');
    writeFileSync(malformed, '{"id": "not an array"}');
    expect(() => handlerRegistrations({ SYNCCENTER_HANDLERS: malformed })).toThrow(/malformed\.json: expected an array/);
  });
});
