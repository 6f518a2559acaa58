/**
 * "Keep both" for a conflict: the other side's version is saved beside the file under a clear name, such as
 * `report (conflict 2026-11-22 0930 from laptop).txt`; the next pass syncs it to both sides.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FileTransfer } from './fileTransfer.ts';
import type { ContentSource } from './folderUnits.ts';
import type { Trash } from './trash.ts';

/** The name of a conflict copy of `relativePath`, made at `now` (ms, local time) with the version from `label`. */
export function conflictCopyName(relativePath: string, now: number, label: string): string {
  const time = new Date(now);
  const pad = (value: number) => String(value).padStart(2, '0');
  const stamp = `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())} ${pad(time.getHours())}${pad(time.getMinutes())}`;
  const extension = path.posix.extname(relativePath);
  const stem = relativePath.slice(0, relativePath.length - extension.length);
  return `${stem} (conflict ${stamp} from ${label.replace(/[/\\\0]/g, '-')})${extension}`;
}

/**
 * Copies the version at `source` into the replica at `root` as a conflict copy of `diskPath` (a free name: a
 * counter is added if a copy of that minute exists). Returns the copy's replica-relative path.
 */
export async function saveConflictCopy(root: string, trash: Trash, diskPath: string, source: ContentSource, label: string, now: number): Promise<string> {
  const transfer = new FileTransfer(root, trash);
  const copyPath = freeName(root, conflictCopyName(diskPath, now, label));
  const prepared =
    source.kind === 'symlink'
      ? transfer.prepareSymlink(copyPath, source.linkTarget ?? '', source.hash)
      : await transfer.prepare({ sourceRoot: source.root, sourcePath: source.diskPath, destinationPath: copyPath, expectedSource: source });
  transfer.install(prepared, { kind: 'absent' });
  await transfer.flush();
  return copyPath;
}

function freeName(root: string, wanted: string): string {
  const taken = (candidate: string) => fs.lstatSync(path.join(root, candidate), { throwIfNoEntry: false }) !== undefined;
  if (!taken(wanted)) return wanted;
  const extension = path.posix.extname(wanted);
  const stem = wanted.slice(0, wanted.length - extension.length);
  for (let counter = 2; ; counter += 1) if (!taken(`${stem} ${counter}${extension}`)) return `${stem} ${counter}${extension}`;
}
