/**
 * The port that reports file changes, and its real implementation. Nothing here scans or polls for changes:
 * they arrive as events, so an unchanged tree costs nothing between syncs. Recursive watches use the platform's
 * own recursive watching on macOS and Windows, and one watch per directory elsewhere (`treeWatcher.ts`).
 */
import { watch } from 'node:fs';
import { watchTree } from './treeWatcher.ts';

/** An open watch. */
export interface WatchHandle {
  close(): void;
}

/** How to watch a folder. */
export interface WatchOptions {
  /** Subfolders too. */
  readonly recursive: boolean;
  /** Folder names never to descend into (their changes may still be reported by the platform). */
  readonly skip?: ReadonlySet<string>;
}

export interface WatchSource {
  /**
   * Watches `folder`. Each change reports the path relative to `folder`, or null when the source lost track of
   * what changed (an overflow). `onError` reports a watch that stopped (the folder vanished, a drive was
   * unplugged). Throws if the folder cannot be watched at all.
   */
  watch(folder: string, options: WatchOptions, onChange: (relativePath: string | null) => void, onError: (error: Error) => void): WatchHandle;
}

const nativeRecursive = process.platform === 'darwin' || process.platform === 'win32';

/** The file system's notifications, without keeping the process alive on their own. */
export const fsWatchSource: WatchSource = {
  watch(folder, options, onChange, onError) {
    if (options.recursive && !nativeRecursive) return watchTree(folder, options.skip ?? new Set(), onChange, onError);
    const watcher = watch(folder, { recursive: options.recursive, persistent: false }, (_type, name) => onChange(name === null ? null : String(name)));
    watcher.on('error', onError);
    return { close: () => watcher.close() };
  },
};
