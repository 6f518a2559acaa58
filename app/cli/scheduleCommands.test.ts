import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { cliJson } from '../control/contract.ts';
import { tempDir } from '../sessions/hostTestKit.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const node = path.join(repo, 'node_modules', '.bin', 'node');
const main = path.join(repo, 'app', 'cli', 'main.ts');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function cli(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(node, [main, '--data-dir', dataDir, ...args], { env: { ...process.env, SYNCCENTER_FIXTURES: 'scripted', SYNCCENTER_LANG: 'en' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number((error as { code?: number }).code ?? 1), stdout, stderr });
    });
  });
}

test('schedule add, list and remove, with --json documents; a one-shot command fires nothing', async () => {
  const dir = tempDir('synccenter-cli-schedules-');
  dirs.push(dir);
  const added = await cli(dir, ['schedule', 'add', 'scripted/alpha', '--every', '15', '--ac-only']);
  expect(added).toMatchObject({ code: 0 });
  const id = added.stdout.trim();
  const startup = cliJson['schedule add'].parse(JSON.parse((await cli(dir, ['--json', 'schedule', 'add', 'scripted', '--on-start', '--name', 'At login'])).stdout));
  expect(startup).toMatchObject({ name: 'At login', itemIds: null, trigger: { kind: 'appStart' } });
  const weekly = await cli(dir, ['schedule', 'add', 'beta', '--at', '07:30', '--days', 'mon,fri']);
  expect(weekly.code).toBe(0);

  const listed = await cli(dir, ['schedule', 'list']);
  expect(listed.stdout).toMatch(new RegExp(`${id} {2}Every 15 minutes {2}scripted/alpha {2}Every 15 minutes \\[AC power only\\] {2}next [A-Z][a-z]{2} \\d{1,2}, 20\\d\\d, \\d{1,2}:\\d\\d:\\d\\d\\s[AP]M {2}last —`));
  expect(listed.stdout).toMatch(/At 07:30 on Mon, Fri {2}next [A-Z][a-z]{2} \d{1,2}, 20\d\d, 7:30:00\sAM/);
  const schedules = cliJson['schedule list'].parse(JSON.parse((await cli(dir, ['--json', 'schedule', 'list', '--handler', 'scripted'])).stdout));
  expect(schedules.map((schedule) => schedule.trigger.kind)).toEqual(['interval', 'appStart', 'timeOfDay']);
  // The app-start schedule did not fire in these one-shot commands: nothing synced.
  expect(JSON.parse((await cli(dir, ['--json', 'list'])).stdout)[0].items.every((item: { lastSyncTime: number | null }) => item.lastSyncTime === null)).toBe(true);

  expect((await cli(dir, ['schedule', 'disable', id])).stdout).toContain(`Disabled schedule ${id}.`);
  expect(cliJson['schedule remove'].parse(JSON.parse((await cli(dir, ['--json', 'schedule', 'remove', id])).stdout))).toEqual({ ok: true });
  expect((await cli(dir, ['--json', 'schedule', 'list'])).stdout).not.toContain(id);
});

test('bad schedule input exits 2 with a clear message', async () => {
  const dir = tempDir('synccenter-cli-schedules-');
  dirs.push(dir);
  const cases: [string[], RegExp][] = [
    [['schedule', 'add', 'scripted', '--every', '0'], /trigger\.minutes: must be at least 1 minute/],
    [['schedule', 'add', 'scripted', '--at', '25:00'], /trigger\.time: use HH:MM between 00:00 and 23:59/],
    [['schedule', 'add', 'scripted', '--every', '5', '--on-start'], /Give exactly one of --every/],
    [['schedule', 'add', 'scripted'], /Give exactly one of --every/],
    [['schedule', 'add', 'nowhere', '--every', '5'], /No handler or item "nowhere"/],
    [['schedule', 'add', 'alpha', '--on-change'], /has no files to watch/],
    [['schedule', 'remove', 'nope'], /No schedule "nope"/],
  ];
  for (const [args, message] of cases) {
    const result = await cli(dir, args);
    expect(result.code, args.join(' ')).toBe(2);
    expect(result.stderr).toMatch(message);
  }
});
