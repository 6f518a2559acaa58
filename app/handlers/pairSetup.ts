/**
 * Validation of a new pair's two locations, shared by the folder and XML handlers: full paths, two different
 * places, neither inside the other (also when a symbolic link, a bind mount or a hard link makes two paths reach one
 * place), and each one of the right kind. Every refusal names the path and what to do.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { ControlError } from '../control/result.ts';
import { handlerText } from './handlerText.ts';
import { isInside, placesOverlap, type LocationKind } from './places.ts';

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
