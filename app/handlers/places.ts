/**
 * Where a pair's two locations are as the file system reaches them, shared by setup (`pairSetup.ts`, which refuses
 * a pair whose sides overlap) and by every folder sync (`syncFolderPair.ts`, which fails with `ROOTS_OVERLAP`). It
 * needs nothing but the file system (no control layer, no text), so the folder sync's core can use it.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** What a location must be. */
export type LocationKind = 'folder' | 'xmlFile';

/** Two existing locations that are one place, or one inside the other, as the file system reaches them. */
export type PlacesOverlap = { readonly kind: 'same'; readonly place: string } | { readonly kind: 'nested'; readonly inner: string; readonly outer: string; readonly place: string };

/**
 * The two places as the file system reaches them: a link (`~/Sync` → `/data/Sync`) or a bind mount must not make one
 * place both sides, or one side inside the other (each side's sync data would then be the other's, or a sync would
 * copy a folder into itself). Checked at setup, and by the folder sync each time (a link may be retargeted since).
 */
export function placesOverlap(left: string, right: string, kind: LocationKind): PlacesOverlap | undefined {
  const [realLeft, realRight] = [reachedPlace(left, kind), reachedPlace(right, kind)];
  if (realLeft === realRight || sameFile(left, right)) return { kind: 'same', place: realLeft };
  for (const [outer, inner, realOuter, realInner] of [[left, right, realLeft, realRight], [right, left, realRight, realLeft]] as const) {
    const relative = path.relative(realOuter, realInner);
    if (isInside(relative)) return { kind: 'nested', inner, outer, place: realInner };
  }
  return undefined;
}

/** Whether a `path.relative` result from a folder leads inside it (a child named `..x` is inside; `..` is not). */
export function isInside(relative: string): boolean {
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** Where a location really is: a folder with every link followed; for a file (which may not exist yet), its folder's. */
function reachedPlace(location: string, kind: LocationKind): string {
  return kind === 'folder' ? realpathSync(location) : path.join(realpathSync(path.dirname(location)), path.basename(location));
}

/** Both exist and are one file or folder (same device and inode: a bind mount, or a hard link to one file). */
function sameFile(first: string, second: string): boolean {
  const [a, b] = [statSync(first, { bigint: true, throwIfNoEntry: false }), statSync(second, { bigint: true, throwIfNoEntry: false })];
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}
