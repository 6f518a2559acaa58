/**
 * Security of the ways in: an Electron security scanner (Electronegativity) over the main process, the preload
 * and the window's HTML with no high finding; the web host refuses missing and wrong tokens, foreign origins and
 * non-loopback binds (property-based); the control endpoint is owner-only: its socket 0600 in a 0700 directory,
 * and another user cannot connect. The Electron checklist itself is verified in main/*.test.ts
 * (windowSecurity, securityChecklist, appProtocol, ipc, ipc.fuzz, packaging).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames, type ControlApi } from '../control/contract.ts';
import { startControlEndpoint, type ControlEndpoint } from '../host/controlEndpoint.ts';
import { startWebHost, type WebHost } from '../host/webHost.ts';
import { canRunAsNobody, makeTempDir, removeTempDirs } from '../handlers/folders/testFolders.ts';
import { startTestHost, type TestHost } from '../sessions/hostTestKit.ts';
import { fuzzRuns } from './contractArbitraries.ts';
import { proofSeed, repoRoot } from './proofKit.ts';

afterAll(removeTempDirs);

interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  description: string;
}

describe('Electron security scanner (Electronegativity)', () => {
  it('finds nothing of high severity in main/, preload/ and the window\'s HTML', () => {
    // The scanned tree: the shipped sources (tests and fakes aside), the window's HTML and package.json (versions).
    const input = makeTempDir('electron-scan');
    for (const side of ['main', 'preload']) {
      fs.cpSync(path.join(repoRoot, side), path.join(input, side), { recursive: true, filter: (source) => !/\.test\.ts$|[/\\]testing([/\\]|$)/.test(source) });
    }
    fs.copyFileSync(path.join(repoRoot, 'renderer', 'index.html'), path.join(input, 'index.html'));
    fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(input, 'package.json'));
    const electronVersion = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.electron ?? '';
    const scan = spawnSync(process.execPath, [path.join(import.meta.dirname, 'electronScan.mjs'), input, electronVersion], { encoding: 'utf8', cwd: repoRoot, timeout: 120_000 });
    expect(scan.status, scan.stderr).toBe(0);
    const { issues, errors } = JSON.parse(scan.stdout.trim().split('\n').at(-1) ?? '{}') as { issues: Finding[]; errors: { file: string; message: string; tolerable: boolean }[] };
    const bySeverity = new Map<string, number>();
    for (const issue of issues) bySeverity.set(issue.severity, (bySeverity.get(issue.severity) ?? 0) + 1);
    const summary = [...bySeverity].map(([severity, count]) => `${count} ${severity.toLowerCase()}`).join(', ') || 'no findings';
    console.log(`[proof] Electronegativity ${fs.readFileSync(path.join(repoRoot, 'node_modules', '@doyensec', 'electronegativity', 'package.json'), 'utf8').match(/"version": "([^"]+)"/)?.[1]}: ${summary}${issues.map((issue) => `\n  ${issue.severity} ${issue.id} ${issue.file}:${issue.line} (${issue.description})`).join('')}`);
    expect(errors.filter((error) => !error.tolerable), 'files the scanner could not parse').toEqual([]);
    expect(issues.filter((issue) => issue.severity === 'HIGH' || issue.severity === 'CRITICAL')).toEqual([]);
  }, 150_000);
});

describe('web host: tokens, origins and binds', () => {
  let host: TestHost;
  let web: WebHost;
  let before: string;
  const stateOf = async (api: ControlApi) => JSON.stringify([await api.listHandlers({}), await api.listEvents({}), await api.listConflicts({})]);

  beforeAll(async () => {
    host = await startTestHost({ items: [{ id: 'alpha', steps: 2 }] });
    web = await startWebHost({ api: host.api, rendererDir: host.stateDir, port: 0 });
    before = await stateOf(host.api);
  });

  afterAll(async () => {
    await web.close();
    await host.dispose();
  });

  const post = (name: string, headers: Record<string, string>, query = '') =>
    fetch(`${web.origin}/api/call/${name}${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: name === 'startItemSync' ? '{"handlerId":"scripted","itemIds":["alpha"]}' : '{}' });

  it(`refuses every call without the token, with a wrong one, or with it anywhere but the header (${fuzzRuns} runs)`, async () => {
    const seed = proofSeed('web host tokens');
    const wrongAuthorization = fc.oneof(
      fc.constant(undefined),
      fc.string().map((text) => `Bearer ${text}`),
      fc.constantFrom('', 'Bearer', 'Bearer ', `bearer ${web.token}`, `Basic ${web.token}`, `Bearer ${web.token.slice(0, -1)}`, `Bearer ${web.token}x`, `Bearer  ${web.token}`, `Token ${web.token}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...callNames), wrongAuthorization, fc.constantFrom('', `?token=${web.token}`, `?access_token=${web.token}`), async (name, authorization, query) => {
        const response = await post(name, { ...(authorization === undefined ? {} : { Authorization: authorization }), Cookie: `token=${web.token}` }, query);
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      }),
      { seed, numRuns: fuzzRuns },
    );
    expect(await stateOf(host.api)).toBe(before);
  }, 120_000);

  it(`refuses every foreign Origin even with the right token (${fuzzRuns} runs)`, async () => {
    const seed = proofSeed('web host origins');
    const port = new URL(web.origin).port;
    const foreign = fc.oneof(
      fc.webUrl().map((url) => new URL(url).origin),
      fc.constantFrom('null', 'file://', `http://127.0.0.1:${Number(port) + 1}`, `https://127.0.0.1:${port}`, `http://[::1]:${port}`, `http://127.0.0.1.evil.example:${port}`, `http://evil.example:${port}`, 'app://sync-center', `http://127.0.0.1:${port}.evil.example`),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...callNames), foreign, async (name, origin) => {
        fc.pre(origin !== web.origin && origin !== `http://localhost:${port}`);
        const response = await post(name, { Authorization: `Bearer ${web.token}`, Origin: origin });
        expect(response.status).toBe(403);
        expect(await response.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
      }),
      { seed, numRuns: fuzzRuns },
    );
    expect(await stateOf(host.api)).toBe(before);
  }, 120_000);

  it('refuses to bind anything but loopback, before binding', async () => {
    const seed = proofSeed('web host binds');
    const addresses = fc.oneof(
      fc.ipV4().filter((address) => address !== '127.0.0.1'),
      fc.ipV6().filter((address) => address !== '::1'),
      fc.domain(),
      fc.constantFrom('0.0.0.0', '::', '', ' 127.0.0.1', '127.0.0.1 ', '127.1', '0x7f000001', '2130706433', '::ffff:127.0.0.1', 'LOCALHOST', 'localhost.', '[::1]'),
    );
    await fc.assert(
      fc.asyncProperty(addresses, async (address) => {
        await expect(startWebHost({ api: host.api, rendererDir: host.stateDir, port: 0, host: address })).rejects.toMatchObject({ code: 'NOT_LOOPBACK' });
      }),
      { seed, numRuns: 200 },
    );
  });
});

describe('control endpoint: owner-only', () => {
  let host: TestHost;
  let endpoint: ControlEndpoint;

  beforeAll(async () => {
    host = await startTestHost({ items: [{ id: 'alpha' }] });
    fs.chmodSync(host.stateDir, 0o755); // even a state directory left open is closed again
    endpoint = await startControlEndpoint(host.api, host.stateDir);
  });

  afterAll(async () => {
    await endpoint.close();
    await host.dispose();
  });

  it.skipIf(process.platform === 'win32')('the socket is 0600 in a 0700 directory', () => {
    expect(fs.statSync(endpoint.path).mode & 0o777).toBe(0o600);
    expect(fs.statSync(host.stateDir).mode & 0o777).toBe(0o700);
  });

  it.skipIf(!canRunAsNobody)('another user cannot connect, even with the directory opened up', () => {
    const attempt = () =>
      spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', `require('node:net').connect(${JSON.stringify(endpoint.path)}).on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (error) => { console.log(error.code); process.exit(0); })`], { encoding: 'utf8' }).stdout.trim();
    expect(attempt()).toBe('EACCES'); // the directory stops them
    fs.chmodSync(host.stateDir, 0o755);
    try {
      expect(attempt()).toBe('EACCES'); // and so does the socket itself
    } finally {
      fs.chmodSync(host.stateDir, 0o700);
    }
  });
});
