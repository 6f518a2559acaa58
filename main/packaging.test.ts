import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const config = readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');

/** Every fuse of @electron/fuses' FuseV1Options, with the value a hardened app wants. */
const expectedFuses: Record<string, boolean> = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false,
};

describe('electron-builder.yml', () => {
  it('sets every Electron fuse explicitly, hardened', () => {
    const block = config.split('electronFuses:')[1]?.split(/\n\S/)[0] ?? '';
    const set = Object.fromEntries([...block.matchAll(/^\s+(\w+):\s*(true|false)\s*$/gm)].map((match) => [match[1], match[2] === 'true']));
    expect(set).toEqual(expectedFuses);
  });

  it('knows every fuse the installed @electron/fuses defines', async () => {
    const fuses = (await import('@electron/fuses')) as unknown as { FuseV1Options: Record<string, number | string> };
    const names = Object.keys(fuses.FuseV1Options).filter((key) => Number.isNaN(Number(key)));
    const camel = names.map((name) => name[0]!.toLowerCase() + name.slice(1));
    expect(camel.sort()).toEqual(Object.keys(expectedFuses).sort());
  });

  it('builds every platform target the product promises', () => {
    for (const target of ['AppImage', 'deb', 'nsis', 'dmg']) expect(config).toContain(target);
  });
});
