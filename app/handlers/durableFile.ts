/**
 * Durable writes of whole small files, shared by the folder handler's scan state and the XML replica: the data goes
 * to a temporary file beside the target (named by the caller, so each recognises and cleans its own leftovers), is
 * fsynced and renamed over the target, and then the folder is fsynced, so a crash at any instant leaves the old
 * file or the new one, and a power loss cannot undo the rename once this returned.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Replaces `file` with `data` (see the module comment). A failure leaves the old file and no temporary file, and is thrown as it came. */
export function replaceFileDurably(file: string, temp: string, data: string, mode: number): void {
  try {
    const descriptor = fs.openSync(temp, 'wx', mode);
    try {
      fs.writeFileSync(descriptor, data);
      fs.fsyncSync(descriptor);
    } finally {
      fs.closeSync(descriptor);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  syncDirectory(path.dirname(file));
}

/**
 * Fsyncs a folder so that the names in it (a rename, a new file) survive a power loss. Windows cannot open a
 * folder for that (its renames are durable by themselves); a folder gone meanwhile has nothing left to sync.
 */
export function syncDirectory(directory: string): void {
  if (process.platform === 'win32') return;
  let descriptor: number | undefined;
  try {
    descriptor = fs.openSync(directory, 'r');
    fs.fsyncSync(descriptor);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  } finally {
    if (descriptor !== undefined) fs.closeSync(descriptor);
  }
}
