/**
 * One sync at a time per replica root: `<root>/.synccenter/lock` names its holder (process id, thread, time) and
 * is refreshed while held. Another process's lock holds while that process lives; a lock of this process (a
 * session worker, or a conflict resolution on the host thread) holds while it is refreshed. A lock left behind by a
 * killed process or a terminated worker is taken over, so a crash never blocks a replica for good.
 */
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { FolderError, toFolderError } from './errors.ts';
import { METADATA_DIR } from './tempNames.ts';

/** How often a holder refreshes its lock, and after how long without a refresh a lock of this process is stale. */
export const LOCK_REFRESH_MS = 5_000;
export const LOCK_STALE_MS = 60_000;

/** The replica is being synced by another session. */
export class ReplicaBusyError extends FolderError {
  constructor(root: string, holder: string) {
    super('BUSY', root, { key: 'BUSY', values: { root, holder } });
    this.name = 'ReplicaBusyError';
  }
}

/** A held lock; `release` is idempotent. */
export interface RootLock {
  release(): void;
}

/** Takes the lock of `root` or throws ReplicaBusyError. `now` is the clock port (ms). */
export function lockRoot(root: string, now: () => number = Date.now): RootLock {
  const directory = path.join(root, METADATA_DIR);
  const file = path.join(directory, 'lock');
  try {
    mkdirSync(directory, { recursive: true });
  } catch (error) {
    throw toFolderError(error, directory, 'creating the metadata folder');
  }
  const token = `${process.pid} ${threadId} ${now()}`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, token);
      } finally {
        closeSync(fd);
      }
      return held(file, token);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw toFolderError(error, file, 'taking the sync lock');
    }
    const holder = readHolder(file);
    if (holder !== undefined && isLive(holder, file, now)) throw new ReplicaBusyError(root, describeHolder(holder));
    removeStale(file, holder);
  }
  throw new ReplicaBusyError(root, 'the lock changed hands while it was being taken');
}

interface Holder {
  readonly text: string;
  readonly pid: number;
  readonly thread: number;
}

function held(file: string, token: string): RootLock {
  let released = false;
  const refresh = setInterval(() => {
    try {
      const time = new Date();
      utimesSync(file, time, time);
    } catch {
      // The lock file vanished (the root was removed); the sync fails on its own.
    }
  }, LOCK_REFRESH_MS);
  refresh.unref();
  return {
    release() {
      if (released) return;
      released = true;
      clearInterval(refresh);
      if (readHolder(file)?.text === token) unlinkQuietly(file);
    },
  };
}

function readHolder(file: string): Holder | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    const [pid, thread] = text.split(' ').map(Number);
    return { text, pid: Number.isInteger(pid) ? (pid as number) : -1, thread: Number.isInteger(thread) ? (thread as number) : -1 };
  } catch {
    return undefined;
  }
}

function isLive(holder: Holder, file: string, now: () => number): boolean {
  if (holder.pid === process.pid) {
    const refreshed = statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    return now() - refreshed < LOCK_STALE_MS;
  }
  if (holder.pid <= 0) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeStale(file: string, holder: Holder | undefined): void {
  // Only remove what we read: another taker may have replaced it meanwhile.
  if (holder === undefined || readHolder(file)?.text === holder.text) unlinkQuietly(file);
}

function describeHolder(holder: Holder): string {
  return holder.pid === process.pid ? 'this app' : `process ${holder.pid}`;
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}
