/**
 * Syncs two XML replica files (one item of the `xml` handler), and resolves conflicts saved for later. Each
 * file keeps its sync metadata beside it, in `<file>.synccenter/metadata.db`. This is what the handler wrapper
 * (`xmlHandler.ts`) calls.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ConflictAction, ConflictReport, SyncStatistics } from '../../engine/provider.ts';
import { knowledgeFromBase64, knowledgeToBase64 } from '../../engine/knowledgeCodec.ts';
import { MetadataSyncProvider } from '../../engine/metadataSyncProvider.ts';
import { synchronize, type SyncLeg, type SyncProgress } from '../../engine/syncOrchestrator.ts';
import { MetadataStore } from '../../store/metadata/metadataStore.ts';
import { renderItem } from './xmlRendering.ts';
import { parseXmlDocument, readXmlFile } from './xmlDocument.ts';
import { removeStaleTempFiles, writeFileAtomic, XmlReplica } from './xmlReplica.ts';
import { XmlReplicaError } from './xmlErrors.ts';
import { LocalChangeTracker } from '../../engine/localChangeTracker.ts';
import { idSources, type IdSources } from '../../engine/ids.ts';

/** Which file of the pair. */
export type XmlSide = 'left' | 'right';

/** Options of `syncXmlReplicas`. */
export interface SyncXmlOptions {
  /** Milliseconds since the epoch, stamped on conflicts. */
  readonly clock: () => number;
  /** GUID source for new replicas and items (default: random UUIDs). */
  readonly newId?: () => string;
  readonly signal?: AbortSignal | (() => boolean);
  readonly onProgress?: (progress: SyncProgress) => void;
  /**
   * `saveForLater` (default) keeps conflicts for the user; `keepNewer` picks the winner of the documented
   * conflict order; `leftWins` / `rightWins` always keep one file's version.
   */
  readonly conflictPolicy?: 'saveForLater' | 'keepNewer' | 'leftWins' | 'rightWins';
  readonly batchSize?: number;
}

/** A conflict, as data: both elements' XML side by side, and what is needed to resolve it later. */
export interface XmlConflict {
  readonly kind: 'updateUpdate' | 'updateDelete' | 'deleteUpdate' | 'collision';
  readonly itemId: string;
  /** The element's `id` attribute. */
  readonly name: string;
  /** The element in the left file, null when deleted there. */
  readonly leftXml: string | null;
  readonly rightXml: string | null;
  /** Which side holds the newer version by the conflict order. */
  readonly newer: XmlSide;
  /** The file whose metadata kept the conflict (the destination when it was found). */
  readonly savedIn: XmlSide;
  readonly action: string;
  readonly detectedAt: number;
  /** Encoded knowledge of the other side about this item (base64), used by `resolveXmlConflict`. */
  readonly otherKnowledge: string;
}

/** Outcome of `syncXmlReplicas`. */
export interface SyncXmlResult {
  readonly status: 'succeeded' | 'canceled';
  /** Left → right statistics. */
  readonly upload: SyncStatistics | null;
  /** Right → left statistics. */
  readonly download: SyncStatistics | null;
  readonly conflicts: XmlConflict[];
  readonly recoveries: SyncLeg[];
}

/** The metadata directory of a replica file. */
export function metadataDirectory(file: string): string {
  return `${file}.synccenter`;
}

/** Opens a replica file with its metadata store as a provider. Close `store` when done. */
export function openXmlProvider(file: string, ids: IdSources, batchSize?: number): { provider: MetadataSyncProvider<string>; store: MetadataStore; replica: XmlReplica } {
  const store = MetadataStore.open({ path: path.join(metadataDirectory(file), 'metadata.db'), replicaId: ids.replica });
  const replica = new XmlReplica(file);
  return { provider: new MetadataSyncProvider({ store, adapter: replica, newItemId: ids.item, ...(batchSize ? { batchSize } : {}) }), store, replica };
}

/** Two-way sync of two XML replica files. */
export async function syncXmlReplicas(leftPath: string, rightPath: string, options: SyncXmlOptions): Promise<SyncXmlResult> {
  const ids = idSources(options.newId);
  // A sync killed between its temporary file and the rename left that file behind: clean it first.
  removeStaleTempFiles(leftPath);
  removeStaleTempFiles(rightPath);
  seedMissingFile(leftPath, rightPath);
  seedMissingFile(rightPath, leftPath);
  const left = openXmlProvider(leftPath, ids, options.batchSize);
  let right: ReturnType<typeof openXmlProvider> | null = null;
  try {
    right = openXmlProvider(rightPath, ids, options.batchSize);
    const policy = options.conflictPolicy ?? 'saveForLater';
    const leftId = left.store.replicaId;
    const result = await synchronize(left.provider, right.provider, {
      direction: 'twoWay',
      conflictPolicy: 'applicationDefined',
      // Merging keeps the item with the smaller id, so every replica settles a collision the same way.
      collisionPolicy: policy === 'saveForLater' ? 'applicationDefined' : 'merge',
      callbacks: {
        onConflict: (conflict) => chooseAction(policy, conflict.newer, conflict.sourceReplica === leftId),
        onRecoveryRequired: () => 'fullEnumeration',
      },
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    // Both legs of a two-way session meet an unresolved conflict; it is one conflict for the user. A collision
    // comes back with the items swapped (each leg's incoming item is the other's holder): key it by both ids.
    const seen = new Set<string>();
    const key = ({ conflict }: ConflictReport<string>): string => (conflict.kind === 'collision' ? [conflict.itemId, conflict.localItemId].sort().join(' ') : conflict.itemId);
    const reports = result.conflicts.filter((report) => !seen.has(key(report)) && seen.add(key(report)));
    return { ...result, conflicts: reports.map((report) => toXmlConflict(report, leftId, options.clock())) };
  } finally {
    left.store.close();
    right?.store.close();
  }
}

/** The engine action for a conflict under the handler's policy. */
function chooseAction(policy: NonNullable<SyncXmlOptions['conflictPolicy']>, newer: 'local' | 'remote', sourceIsLeft: boolean): ConflictAction {
  if (policy === 'saveForLater') return 'saveForLater';
  if (policy === 'keepNewer') return newer === 'remote' ? 'sourceWins' : 'destinationWins';
  return (policy === 'leftWins') === sourceIsLeft ? 'sourceWins' : 'destinationWins';
}

/** `base`, or `base-2`, `base-3`… when taken. */
function freeName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let counter = 2; ; counter += 1) if (!taken.has(`${base}-${counter}`)) return `${base}-${counter}`;
}

/** The indentation of the elements rendered into a conflict. */
const CONFLICT_INDENT = '\n  ';

/** A missing replica file starts as the other file's prolog and an empty root, so both look alike. */
function seedMissingFile(file: string, other: string): void {
  if (fs.existsSync(file) || !fs.existsSync(other)) return;
  const doc = parseXmlDocument(readXmlFile(other), other);
  const text = doc.selfClosingRoot ? `${doc.text.slice(0, doc.innerStart + 2)}\n` : `${doc.text.slice(0, doc.innerStart)}\n</${doc.rootName}>\n`;
  writeFileAtomic(file, text);
}

function toXmlConflict(report: ConflictReport<string>, leftReplica: string, now: number): XmlConflict {
  const { conflict } = report;
  const savedIn: XmlSide = conflict.destinationReplica === leftReplica ? 'left' : 'right';
  const render = (side: typeof conflict.local): string | null => (side ? renderItem(side.name, side.units, CONFLICT_INDENT) : null);
  const [leftSide, rightSide] = savedIn === 'left' ? [conflict.local, conflict.remote] : [conflict.remote, conflict.local];
  const newerIsLocal = conflict.newer === 'local';
  return {
    kind: conflict.kind,
    itemId: conflict.itemId,
    name: (leftSide ?? rightSide)?.name ?? conflict.itemId,
    leftXml: render(leftSide),
    rightXml: render(rightSide),
    newer: newerIsLocal === (savedIn === 'left') ? 'left' : 'right',
    savedIn,
    action: report.action,
    detectedAt: now,
    otherKnowledge: knowledgeToBase64(conflict.remoteItemKnowledge),
  };
}

/** How a saved conflict is resolved. */
export type XmlResolution = 'keepLeft' | 'keepRight' | 'keepBoth' | 'keepNewer';

/**
 * Resolves a conflict saved by `syncXmlReplicas`. A conflict of one element (concurrent edits, an edit against a
 * delete): writes the chosen element into the file that saved it, as a local edit that supersedes the other
 * side's version, then syncs the pair so both files agree. A collision (two different elements created under one
 * id): see `resolveCollision`.
 */
export async function resolveXmlConflict(leftPath: string, rightPath: string, conflict: XmlConflict, resolution: XmlResolution, options: SyncXmlOptions): Promise<SyncXmlResult> {
  if (conflict.kind === 'collision') return resolveCollision(leftPath, rightPath, conflict, resolution, options);
  const ids = idSources(options.newId);
  const file = conflict.savedIn === 'left' ? leftPath : rightPath;
  const { chosen, other, otherName } = resolvedElements(leftPath, rightPath, conflict, resolution);
  const { store, replica } = openXmlProvider(file, ids);
  try {
    expectUnchanged(replica, conflict, conflict.savedIn);
    await replica.replaceElements([{ name: conflict.name, xml: chosen }, ...(other === null ? [] : [{ name: otherName, xml: other }])]);
    store.commit({ knowledge: store.knowledge().union(knowledgeFromBase64(conflict.otherKnowledge)), tickCount: store.tickCount() });
    const tracker = new LocalChangeTracker(store, ids.item);
    await replica.detectChanges(tracker);
    tracker.commit();
  } finally {
    store.close();
  }
  return syncXmlReplicas(leftPath, rightPath, options);
}

/**
 * A collision is two different items, one per file, so no knowledge of one settles the other (the file that
 * saved the conflict would "know" an item it does not hold, and a third replica that learns from it would drop
 * that item). Both files are written instead: the conflict's id gets the chosen element, and with "keep both"
 * the other element gets a free id in both. The next sync finds the same elements under the same ids on both
 * sides and merges them, the way every replica merges identical new items. An element that changed in either
 * file since the conflict was saved is not overwritten: nothing is written and the next sync shows the
 * collision as it is now.
 */
async function resolveCollision(leftPath: string, rightPath: string, conflict: XmlConflict, resolution: XmlResolution, options: SyncXmlOptions): Promise<SyncXmlResult> {
  const { chosen, other, otherName } = resolvedElements(leftPath, rightPath, conflict, resolution);
  const replicas = [new XmlReplica(leftPath), new XmlReplica(rightPath)] as const;
  for (const [index, replica] of replicas.entries()) expectUnchanged(replica, conflict, index === 0 ? 'left' : 'right');
  const elements = [{ name: conflict.name, xml: chosen }, ...(other === null ? [] : [{ name: otherName, xml: other }])];
  for (const replica of replicas) await replica.replaceElements(elements);
  return syncXmlReplicas(leftPath, rightPath, options);
}

/**
 * Throws unless the element with the conflict's id in `side`'s file is still the one the conflict shows (absent
 * for a deleted side): a resolution written over a later edit, or over another element that took the id since,
 * would lose that edit.
 */
function expectUnchanged(replica: XmlReplica, conflict: XmlConflict, side: XmlSide): void {
  const item = replica.read().items.find((candidate) => candidate.name === conflict.name);
  const current = item ? renderItem(item.name, item.units, CONFLICT_INDENT) : null;
  if (current === (side === 'left' ? conflict.leftXml : conflict.rightXml)) return;
  throw new XmlReplicaError('XML_CONFLICT_CHANGED', replica.file, `The element with id "${conflict.name}" changed since this conflict was saved, so this resolution no longer applies.`, undefined, 'sync again to see the conflict as it is now.');
}

/** The element kept under the conflict's id, and with "keep both" the other one and the free id it gets. */
function resolvedElements(leftPath: string, rightPath: string, conflict: XmlConflict, resolution: XmlResolution): { chosen: string | null; other: string | null; otherName: string } {
  const keep: XmlSide = resolution === 'keepNewer' ? conflict.newer : resolution === 'keepRight' ? 'right' : 'left';
  const chosen = keep === 'left' ? conflict.leftXml : conflict.rightXml;
  const other = resolution === 'keepBoth' ? (keep === 'left' ? conflict.rightXml : conflict.leftXml) : null;
  // A name neither file uses yet: an earlier "keep both" of the same element may have taken `<id>-right`.
  const taken = new Set([leftPath, rightPath].flatMap((file) => (fs.existsSync(file) ? parseXmlDocument(readXmlFile(file), file).items.map((item) => item.name) : [])));
  return { chosen, other, otherName: freeName(`${conflict.name}-${keep === 'left' ? 'right' : 'left'}`, taken) };
}
