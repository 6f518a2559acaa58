/**
 * Test support for the folder handler: real temporary folders, and running a script as an unprivileged user
 * (the suite runs as root, which no permission check stops).
 */
import { spawnSync } from 'node:child_process';
import { afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const created: string[] = [];

/** A fresh temporary folder, readable by every user (so an unprivileged child can reach into it). */
export function makeTempDir(label = 'folders'): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), `synccenter-${label}-`));
  fs.chmodSync(directory, 0o755);
  created.push(directory);
  return directory;
}

/** Removes every folder made by `makeTempDir` (call from afterAll / afterEach). */
export function removeTempDirs(): void {
  for (const directory of created.splice(0)) {
    spawnSync('chmod', ['-R', 'u+rwx', directory]);
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

/** Writes files (relative path → content), creating parent folders. */
export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [relative, content] of Object.entries(files)) {
    const absolute = path.join(root, ...relative.split('/'));
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    fs.writeFileSync(absolute, content);
  }
}

/** Reads a file of a replica as UTF-8, or undefined when absent. */
export function readText(root: string, relative: string): string | undefined {
  const absolute = path.join(root, ...relative.split('/'));
  return fs.existsSync(absolute) ? fs.readFileSync(absolute, 'utf8') : undefined;
}

/** What a suite found of the tools it needs: ready, or why not (printed, and the suite skipped). */
export type ToolCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Makes sure each command exists, installing the Debian packages that provide the missing ones with apt-get
 * (running as root on Linux; `apt-get update` first when the package lists are stale); else says what is missing.
 * `packages` maps each command to its Debian package.
 */
export function ensureDebianTools(packages: Readonly<Record<string, string>>): ToolCheck {
  const missingNow = () => Object.keys(packages).filter((command) => spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0);
  let missing = missingNow();
  if (missing.length === 0) return { ok: true };
  const install = `apt-get install -y -qq ${[...new Set(missing.map((command) => packages[command] ?? command))].join(' ')}`;
  if (process.platform !== 'linux') return { ok: false, reason: `${missing.join(', ')} missing, and this is ${process.platform}, not Debian (${install})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: `${missing.join(', ')} missing; installing needs root (${install})` };
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('sh', ['-c', install], { stdio: 'ignore', env });
  missing = missingNow();
  if (missing.length > 0) {
    spawnSync('sh', ['-c', `apt-get update -qq && ${install}`], { stdio: 'ignore', env });
    missing = missingNow();
  }
  return missing.length === 0 ? { ok: true } : { ok: false, reason: `${missing.join(', ')} missing and apt-get could not install them (${install})` };
}

/** True when the suite can switch to user `nobody` (root with setpriv); permission tests skip otherwise. */
export const canRunAsNobody: boolean = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;

/**
 * Runs an ES module (given as source text) with this Node as user `nobody`, with the folder handler's directory
 * in `HANDLER_DIR`; returns its stdout parsed as JSON.
 */
export function runAsNobody(source: string): unknown {
  const scriptDirectory = makeTempDir('script');
  const script = path.join(scriptDirectory, 'script.mjs');
  fs.writeFileSync(script, source);
  fs.chmodSync(script, 0o644);
  const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, script], {
    encoding: 'utf8',
    env: { ...process.env, HANDLER_DIR: import.meta.dirname },
  });
  if (result.status !== 0) throw new Error(`child failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as unknown;
}

const mountedFileSystems: string[] = [];

/**
 * A fresh tmpfs of `size` (mount's syntax, e.g. "2m") at a new temporary folder: a real small file system to fill
 * up. Undefined where that is impossible (not root, no mount rights). `unmountSmallFileSystems` ends them all.
 */
export function smallFileSystem(size: string): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const directory = makeTempDir('tmpfs');
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', directory]).status !== 0) return undefined;
  mountedFileSystems.push(directory);
  return directory;
}

/** Gives the tmpfs at `directory` a new size (mount's syntax); throws when it cannot. */
export function resizeSmallFileSystem(directory: string, size: string): void {
  const resized = spawnSync('mount', ['-o', `remount,size=${size}`, directory], { encoding: 'utf8' });
  if (resized.status !== 0) throw new Error(`cannot resize the tmpfs at ${directory}: ${resized.stderr}`);
}

/** Unmounts every `smallFileSystem` (call from afterAll, before `removeTempDirs`). */
export function unmountSmallFileSystems(): void {
  for (const directory of mountedFileSystems.splice(0)) spawnSync('umount', [directory]);
}

/**
 * A `smallFileSystem` for a suite that needs a full disk: mounted now, unmounted (and every temporary folder
 * removed) after the suite; undefined, with `suite` said to be skipped and why, where there can be none.
 */
export function suiteFileSystem(suite: string, size: string): string | undefined {
  const mounted = smallFileSystem(size);
  if (mounted === undefined) console.log(`${suite} skipped: mounting a tmpfs needs root on Linux and mount rights`);
  afterAll(() => {
    unmountSmallFileSystems();
    removeTempDirs();
  });
  return mounted;
}
