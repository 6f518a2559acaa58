import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createSyncCenter, type SyncCenter } from '../control/syncCenter.ts';
import { startWebHost, type WebHost } from './webHost.ts';

let dir: string;
let core: SyncCenter;
let host: WebHost;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'webhost-'));
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Sync Center</title>');
  writeFileSync(path.join(dir, 'secret.txt'), 'outside the renderer');
  core = await createSyncCenter({ stateDir: path.join(dir, 'state'), version: '0.0.0-test' });
  host = await startWebHost({ api: core.api, rendererDir, port: 0 });
});

afterAll(async () => {
  await host.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(name: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${host.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('web host', () => {
  it('prints a loopback URL carrying the token in its fragment', () => {
    const url = new URL(host.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.hash).toBe(`#token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(43);
  });

  it('round-trips a valid call', async () => {
    const response = await call('listHandlers', {});
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, value: [] });
  });

  it('refuses a call without a token with 401', async () => {
    const response = await fetch(`${host.origin}/api/call/listHandlers`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('refuses a wrong token with 401', async () => {
    const response = await call('listHandlers', {}, { Authorization: 'Bearer not-the-token' });
    expect(response.status).toBe(401);
  });

  it('refuses a foreign Origin with 403', async () => {
    const response = await call('listHandlers', {}, { Origin: 'http://evil.example' });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'FORBIDDEN_ORIGIN', message: expect.stringContaining('evil.example') } });
  });

  it('accepts its own Origin', async () => {
    const response = await call('listHandlers', {}, { Origin: host.origin });
    expect(response.status).toBe(200);
  });

  it('answers an invalid payload with 400 and the schema message', async () => {
    const response = await call('listHandlers', { unexpected: 1 });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.message).toMatch(/listHandlers/);
    expect(body.error.message).toMatch(/unexpected/i);
  });

  it('answers malformed JSON with 400', async () => {
    const response = await fetch(`${host.origin}/api/call/listHandlers`, { method: 'POST', headers: { Authorization: `Bearer ${host.token}` }, body: '{nope' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringContaining('not valid JSON') } });
  });

  it('answers an unknown call with 404', async () => {
    const response = await call('formatDisk', {});
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'UNKNOWN_CALL' } });
  });

  it('serves the window and nothing outside the renderer folder', async () => {
    const index = await fetch(`${host.origin}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    const escape = await fetch(`${host.origin}/..%2fsecret.txt`);
    expect(escape.status).toBe(404);
    expect(await escape.text()).not.toContain('outside the renderer');
  });

  it('listens on loopback only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal);
    if (external === undefined) return expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:/);
    await expect(fetch(`http://${external.address}:${host.port}/`)).rejects.toThrow();
  });

  it('refuses to bind a non-loopback address', async () => {
    await expect(startWebHost({ api: core.api, rendererDir: dir, port: 0, host: '0.0.0.0' })).rejects.toMatchObject({ code: 'NOT_LOOPBACK' });
  });

  it('streams events only to sockets with the token and the right Origin', async () => {
    const wsUrl = `${host.origin.replace('http', 'ws')}/api/events`;
    const refused = new WebSocket(wsUrl, 'synccenter.wrong', { origin: host.origin });
    await new Promise<void>((resolve) => refused.on('error', () => resolve()));
    const foreign = new WebSocket(wsUrl, `synccenter.${host.token}`, { origin: 'http://evil.example' });
    await new Promise<void>((resolve) => foreign.on('error', () => resolve()));
    const accepted = new WebSocket(wsUrl, `synccenter.${host.token}`, { origin: host.origin });
    await new Promise<void>((resolve, reject) => {
      accepted.on('open', () => resolve());
      accepted.on('error', reject);
    });
    accepted.close();
  });
});
