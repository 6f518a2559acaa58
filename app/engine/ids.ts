/**
 * Identity in a sync community: replicas are GUIDs, items and change units are strings. Both providers of a
 * session must agree on the id formats (the seed's `ID_PARAMETERS`), otherwise versions cannot be exchanged.
 */
import { v7 as uuidv7 } from 'uuid';
import { IdFormatMismatchError, SyncError } from './errors.ts';

/** A replica's identity: a lower-case canonical GUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`). */
export type ReplicaId = string;
/** An item's global identity, unique in the whole community. */
export type ItemId = string;
/** A change unit (a field of an item) identity, unique within its item. */
export type ChangeUnitId = string;

/**
 * A new item id: a time-ordered GUID (RFC 9562 version 7, increasing within a process). A session's new items get
 * neighbouring ids, in the order they were found (a folder's scan order), so the metadata store's indexes take
 * each batch in a few places instead of pages all over: 50,000 files copied by hand on both sides first synced in
 * 15.7 s instead of 33.3 s with random (version 4) ids, the same count of rows written.
 */
export function newItemId(): ItemId {
  const random = pooledRandomBytes();
  // The uuid package's own ordering (a random start per millisecond, then +1 per id), with our pooled random bytes:
  // its default fetches 16 fresh bytes per id, about 16 µs each, a second and a half per 100,000 new files.
  const now = Date.now();
  if (now > order.msecs) order = { msecs: now, seq: ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]! };
  else if ((order.seq = (order.seq + 1) | 0) === 0) order.msecs += 1;
  return uuidv7({ random, msecs: order.msecs, seq: order.seq });
}

let order = { msecs: -Infinity, seq: 0 };
const randomPool = new Uint8Array(16 * 256);
let randomUsed = randomPool.length;

/** 16 random bytes, taken from a pool refilled 256 ids at a time. */
function pooledRandomBytes(): Uint8Array {
  if (randomUsed === randomPool.length) {
    globalThis.crypto.getRandomValues(randomPool);
    randomUsed = 0;
  }
  randomUsed += 16;
  return randomPool.subarray(randomUsed - 16, randomUsed);
}

/** Where a session takes new ids. */
export interface IdSources {
  readonly item: () => ItemId;
  readonly replica: () => ReplicaId;
}

/** Time-ordered item ids and random replica ids; one injected source (deterministic ids in tests) serves both. */
export function idSources(newId?: () => string): IdSources {
  return newId === undefined ? { item: newItemId, replica: () => globalThis.crypto.randomUUID() } : { item: newId, replica: newId };
}

/** The id schema a provider uses; both sides of a session must be equal. */
export interface IdFormats {
  /** Replica ids are always GUIDs. */
  readonly replicaId: 'guid';
  /** Longest item id, in UTF-16 code units. */
  readonly itemIdMaxLength: number;
  /** Longest change-unit id, in UTF-16 code units. */
  readonly changeUnitIdMaxLength: number;
}

/** The id formats of the built-in handlers. */
export const DEFAULT_ID_FORMATS: IdFormats = Object.freeze({ replicaId: 'guid', itemIdMaxLength: 256, changeUnitIdMaxLength: 256 });

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when `value` is a canonical lower-case GUID. */
export function isReplicaId(value: string): boolean {
  return GUID.test(value);
}

/** Returns `value` as a replica id or throws a clear error. */
export function parseReplicaId(value: string): ReplicaId {
  const lower = value.toLowerCase();
  if (!isReplicaId(lower)) throw new SyncError('INVALID_REPLICA_ID', `"${value}" is not a replica id; a replica id is a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e.`);
  return lower;
}

/** Throws `ID_FORMAT_MISMATCH` unless both providers use the same id formats. */
export function assertIdFormatsMatch(source: IdFormats, destination: IdFormats): void {
  const fields = ['replicaId', 'itemIdMaxLength', 'changeUnitIdMaxLength'] as const;
  for (const field of fields) {
    if (source[field] !== destination[field]) {
      throw new IdFormatMismatchError(`${field}: source ${String(source[field])}, destination ${String(destination[field])}`);
    }
  }
}

/** Throws unless `itemId` fits the formats. */
export function assertItemId(itemId: string, formats: IdFormats): void {
  if (itemId.length === 0 || itemId.length > formats.itemIdMaxLength) {
    throw new SyncError('INVALID_ITEM_ID', `Item id "${itemId.slice(0, 40)}" must be 1 to ${formats.itemIdMaxLength} characters long.`);
  }
}
