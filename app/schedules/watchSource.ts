/**
 * The port that reports file changes, and its real implementation over `fs.watch` (recursive where asked; on
 * Linux Node keeps one inotify watch per directory and adds new directories as they appear). Nothing here scans
 * or polls a tree: changes arrive as events, so an unchanged tree costs nothing between syncs.
 */
import { watch } from 'node:fs';

/** An open watch. */
export interface WatchHandle {
  close(): void;
}

export interface WatchSource {
  /**
   * Watches `folder` (and its subfolders when `recursive`). Each change reports the path relative to `folder`,
   * or null when the source lost track of what changed (an overflow). `onError` reports a watch that stopped
   * (the folder vanished, a drive was unplugged). Throws if the folder cannot be watched at all.
   */
  watch(folder: string, recursive: boolean, onChange: (relativePath: string | null) => void, onError: (error: Error) => void): WatchHandle;
}

/** `fs.watch`, without keeping the process alive on its own. */
export const fsWatchSource: WatchSource = {
  watch(folder, recursive, onChange, onError) {
    const watcher = watch(folder, { recursive, persistent: false }, (_type, name) => onChange(name === null ? null : String(name)));
    watcher.on('error', onError);
    return { close: () => watcher.close() };
  },
};
