/**
 * The core must run without Electron (CLI, web host, tests): no file under app/ may import it, not even
 * dynamically. Lint forbids it too; this test fails even when lint is skipped. It lives outside app/ so that the
 * core holds no mention of an Electron import at all, not even this detector's samples.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const appDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'app');
const electronImport = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"](?:electron|electron\/[^'"]*)['"]/;
const forbiddenImport = /(?:from\s*|import\s*\(\s*)['"](?:\.\.\/)+(?:main|preload|renderer)\//;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(full);
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [full] : [];
  });
}

describe('core boundary', () => {
  const files = sources(appDir);

  it('finds the core sources', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('never imports electron', () => {
    const offenders = files.filter((file) => electronImport.test(readFileSync(file, 'utf8')));
    expect(offenders.map((file) => path.relative(appDir, file))).toEqual([]);
  });

  it('never imports main/, preload/ or renderer/', () => {
    const offenders = files.filter((file) => forbiddenImport.test(readFileSync(file, 'utf8')));
    expect(offenders.map((file) => path.relative(appDir, file))).toEqual([]);
  });

  it('the detector itself recognizes an electron import', () => {
    expect(electronImport.test("import { app } from 'electron';")).toBe(true);
    expect(electronImport.test('const e = require("electron/main")')).toBe(true);
    expect(electronImport.test("await import('electron')")).toBe(true);
    expect(electronImport.test("import x from 'electron-builder';")).toBe(false);
  });
});
