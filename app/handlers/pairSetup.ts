/**
 * Validation of a new pair's two locations, shared by the folder and XML handlers: full paths, two different
 * places, neither inside the other (also when a symbolic link, a bind mount or a hard link makes two paths reach one
 * place), and each one of the right kind. Every refusal names the path and what to do.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { ControlError } from '../control/result.ts';
import { handlerText } from './handlerText.ts';

/** What a location must be. */
export type LocationKind = 'folder' | 'xmlFile';

/** Checks `args` = [first, second] and returns both as normalized full paths. */
export function validatePair(handlerId: string, args: readonly string[], kind: LocationKind): { left: string; right: string } {
  const t = handlerText();
  const [first, second] = args;
  if (first === undefined || second === undefined || args.length !== 2) throw new ControlError('BAD_REQUEST', t('setup.usage', { handler: handlerId }));
  const [left, right] = [first, second].map((location) => {
    if (!path.isAbsolute(location)) throw new ControlError('BAD_PATH', t('setup.notAbsolute', { path: location }));
    return path.resolve(location);
  }) as [string, string];
  if (left === right) throw new ControlError('BAD_PATH', t('setup.same', { path: left }));
  for (const [outer, inner] of [[left, right], [right, left]] as const) {
    const relative = path.relative(outer, inner);
    if (isInside(relative)) throw new ControlError('BAD_PATH', t('setup.nested', { inner, outer }));
  }
  for (const location of [left, right]) checkLocation(location, kind);
  checkReachedPlaces(left, right, kind);
  return { left, right };
}

/** See `placesOverlap`. */
function checkReachedPlaces(left: string, right: string, kind: LocationKind): void {
  const t = handlerText();
  const overlap = placesOverlap(left, right, kind);
  if (overlap?.kind === 'same') throw new ControlError('BAD_PATH', t('setup.sameThroughLink', { left, right, place: overlap.place }));
  if (overlap?.kind === 'nested') throw new ControlError('BAD_PATH', t('setup.nestedThroughLink', { inner: overlap.inner, outer: overlap.outer, place: overlap.place }));
}

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
function isInside(relative: string): boolean {
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

function checkLocation(location: string, kind: LocationKind): void {
  const t = handlerText();
  if (kind === 'folder') {
    const info = statSync(location, { throwIfNoEntry: false });
    if (info === undefined) throw new ControlError('ROOT_MISSING', t('setup.missingFolder', { path: location }));
    if (!info.isDirectory()) throw new ControlError('BAD_PATH', t('setup.notFolder', { path: location }));
    return;
  }
  if (path.extname(location).toLowerCase() !== '.xml') throw new ControlError('BAD_PATH', t('setup.notXmlName', { path: location }));
  const parent = statSync(path.dirname(location), { throwIfNoEntry: false });
  if (parent === undefined || !parent.isDirectory()) throw new ControlError('ROOT_MISSING', t('setup.missingParent', { path: location }));
  const info = statSync(location, { throwIfNoEntry: false });
  if (info !== undefined && !info.isFile()) throw new ControlError('BAD_PATH', t('setup.notFile', { path: location }));
}
