import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAppFile, serveAppRequest } from './appProtocol.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'appproto-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('maps app URLs into the renderer folder', () => {
    expect(resolveAppFile(dir, 'app://sync-center/')).toBe(path.join(dir, 'index.html'));
    expect(resolveAppFile(dir, 'app://sync-center/assets/a.js')).toBe(path.join(dir, 'assets', 'a.js'));
  });

  it('refuses other hosts and escapes', () => {
    expect(resolveAppFile(dir, 'app://other/index.html')).toBeNull();
    expect(resolveAppFile(dir, 'app://sync-center/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(resolveAppFile(dir, 'app://sync-center/%00')).toBeNull();
    expect(resolveAppFile(dir, '::::')).toBeNull();
  });

  it('serves with the CSP and 404s what is missing', async () => {
    const ok = await serveAppRequest(dir, { url: 'app://sync-center/index.html' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await serveAppRequest(dir, { url: 'app://sync-center/missing.js' })).status).toBe(404);
  });
});
