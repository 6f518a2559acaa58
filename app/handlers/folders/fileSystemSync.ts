/**
 * Durability for a whole batch at once. A per-file fsync costs a journal commit each (10,000 small files: many
 * seconds); one `syncfs` of the file system flushes every temporary file of the batch, and every rename, in a
 * single commit. Node has no syncfs binding, so on Linux it is coreutils' `sync -f`; elsewhere (or if it fails)
 * the caller falls back to fsyncing each path. The ordering guarantee is the same either way: data durable before
 * any rename, renames durable before metadata is committed. A folder inside a replica may be another file
 * system's mount point, so the paths are grouped by device and each file system is flushed once.
 */
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import fs from 'node:fs';
import type { Socket } from 'node:net';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** The command that flushes the file system holding `directory` (coreutils' `sync -f`: syncfs), where there is one. */
function flushCommand(directory: string): readonly [string, string[]] | undefined {
  return process.platform === 'linux' ? ['sync', ['-f', directory]] : undefined;
}

/**
 * Flushes, once each, the file systems holding `paths`, without blocking this thread (through the resident shell,
 * one after another, or a child `sync -f` each). Resolves to the paths it could not make durable that way, for the
 * caller to fsync one by one; folders that no longer exist (or files in one) are left out. `kind` says what the paths
 * are: a folder is stat'ed itself (it may be a mount point), files by their folder, once per folder (a batch's
 * temporary files are thousands, in a few folders, and never mount points).
 */
export async function flushFileSystemsOf(paths: readonly string[], kind: 'files' | 'folders'): Promise<string[]> {
  const flushed = await Promise.all(byFileSystem(paths, kind).map(async (group) => ((await flushFileSystemOf(group[0] as string)) ? [] : group)));
  return flushed.flat();
}

/** `paths` grouped by the file system (device) holding them; paths that no longer exist are left out. */
function byFileSystem(paths: readonly string[], kind: 'files' | 'folders'): string[][] {
  const deviceOfFolder = new Map<string, number | undefined>();
  const deviceOf = (entry: string): number | undefined => {
    if (kind === 'folders') return fs.lstatSync(entry, { throwIfNoEntry: false })?.dev;
    const folder = path.dirname(entry);
    if (!deviceOfFolder.has(folder)) deviceOfFolder.set(folder, fs.lstatSync(folder, { throwIfNoEntry: false })?.dev);
    return deviceOfFolder.get(folder);
  };
  const byDevice = new Map<number, string[]>();
  for (const entry of paths) {
    const device = deviceOf(entry);
    if (device === undefined) continue;
    const group = byDevice.get(device);
    if (group === undefined) byDevice.set(device, [entry]);
    else group.push(entry);
  }
  return [...byDevice.values()];
}

/** Fsyncs one file by path (the fallback when a batch could not be flushed at once). */
export function syncFile(file: string): void {
  const descriptor = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
}

/**
 * Flushes the file system holding `directory` without blocking this thread (`sync -f`, by the resident shell or a
 * child process); resolves true once flushed, false where that is not possible (the caller then fsyncs each path).
 * The flushes that make a batch durable use it, and so do the early ones that start writing a batch back while it
 * still copies (`FLUSH_AHEAD`).
 */
export function flushFileSystemOf(directory: string): Promise<boolean> {
  const command = flushCommand(directory);
  if (command === undefined) return Promise.resolve(false);
  return (
    residentFlusher.flush(directory) ??
    new Promise((resolve) => {
      execFile(...command, (error) => resolve(error === null));
    })
  );
}

/** The resident shell's loop: a folder per input line, `sync -f` on it, 0 (flushed) or 1 (not) per output line. */
const FLUSH_LOOP = 'while IFS= read -r folder; do if sync -f "$folder" 2>/dev/null; then echo 0; else echo 1; fi; done';

/**
 * A resident shell that runs `sync -f` for each folder written to it, one after another. Starting `sync -f` from
 * here forks this process (hundreds of MB mapped) each time, which costs the sync's own thread 10–25 ms: about
 * 0.25 s of a 10,000-file initial sync (its background and group flushes), on the thread that sets its pace. The
 * shell forks itself instead, at a shell's cost. Started on first use, again once idle if `PATH` changed (the shell
 * finds `sync` through it) and after it died (the flushes it owed answer false: their callers fsync each file). It
 * keeps this process alive only while a flush is owed, and ends with it: its input closes.
 */
class ResidentFlusher {
  #shell: ChildProcessByStdio<Writable, Readable, null> | undefined;
  #path: string | undefined;
  #unread = '';
  readonly #owed: ((flushed: boolean) => void)[] = [];

  /** Flushes the file system holding `directory`; undefined where this cannot carry the request (a name with a line break). */
  flush(directory: string): Promise<boolean> | undefined {
    if (directory.includes('\n')) return undefined;
    const shell = this.#running();
    return new Promise((resolve) => {
      this.#owed.push(resolve);
      if (this.#owed.length === 1) hold(shell, true);
      shell.stdin.write(`${directory}\n`);
    });
  }

  #running(): ChildProcessByStdio<Writable, Readable, null> {
    if (this.#shell !== undefined && (this.#path === process.env.PATH || this.#owed.length > 0)) return this.#shell;
    this.#shell?.stdin.end();
    const shell = spawn('sh', ['-c', FLUSH_LOOP], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.#shell = shell;
    this.#path = process.env.PATH;
    this.#unread = '';
    shell.stdout.setEncoding('utf8');
    shell.stdout.on('data', (chunk: string) => {
      const lines = (this.#unread + chunk).split('\n');
      this.#unread = lines.pop() ?? '';
      for (const line of lines) this.#owed.shift()?.(line === '0');
      if (this.#owed.length === 0) hold(shell, false);
    });
    const gone = () => {
      if (this.#shell !== shell) return;
      this.#shell = undefined;
      for (const answer of this.#owed.splice(0)) answer(false);
    };
    shell.on('error', gone);
    shell.on('exit', gone);
    shell.stdin.on('error', gone); // EPIPE: the shell died with flushes owed
    hold(shell, false);
    return shell;
  }
}

/** Lets the shell (its process and pipes) keep this process alive, or not. */
function hold(shell: ChildProcessByStdio<Writable, Readable, null>, held: boolean): void {
  for (const handle of [shell, shell.stdin as unknown as Socket, shell.stdout as unknown as Socket]) {
    if (held) handle.ref();
    else handle.unref();
  }
}

const residentFlusher = new ResidentFlusher();
