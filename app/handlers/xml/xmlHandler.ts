/**
 * The `xml` handler: each item is a pair of XML-file replicas (the Sync Framework walkthrough's replica), synced
 * both ways by the knowledge engine through `syncXmlReplicas`. Saved conflicts carry both elements so the window
 * can show them side by side, and go back to `resolveXmlConflict` when the user chooses.
 */
import path from 'node:path';
import { ControlError } from '../../control/result.ts';
import type { ConflictPolicy } from '../../control/schemas.ts';
import type { ConflictReport, HandlerContext, ResolutionChoice, ResolveOutcome, StoredConflict, SyncHandler, SyncItem } from '../../runtime/syncHandler.ts';
import { handlerText } from '../handlerText.ts';
import { XmlReplicaError } from './xmlErrors.ts';
import { describePairItem, PairItemStore, type PairItem } from '../pairItemStore.ts';
import { recordResolutionSync, runPairSession, type PairOutcome, type ReportItemProgress } from '../pairSession.ts';
import { validatePair } from '../pairSetup.ts';
import { resolveXmlConflict, syncXmlReplicas, type SyncXmlOptions, type XmlConflict, type XmlResolution } from './syncXmlReplicas.ts';

const previewLimit = 65_536;

/** The factory the runtime imports (built-in convention: `app/handlers/xml/xmlHandler.ts`). */
export function createHandler(context: HandlerContext): SyncHandler {
  const items = new PairItemStore(context.dataDir);
  const t = handlerText();
  return {
    id: 'xml',
    name: t('xml.name'),
    info: { type: 'application', typeLabel: t('xml.typeLabel'), comment: t('xml.comment') },
    capabilities: { eventStore: true, conflictStore: true, browseContent: true, reportsAllConflicts: true },
    items: () => items.list().map(toSyncItem),
    synchronize: (itemIds, session) => runPairSession(itemIds, session, items, (item, report, signal) => syncItem(item, report, signal, context), context.now),
    describeItem: (itemId) => describePairItem(items.get(itemId)),
    deleteItem: (itemId) => items.remove(itemId),
    resolveConflict: (conflict, choice) => resolve(items, items.get(conflict.itemId), conflict, choice, context),
    setup(args, options) {
      const { left, right } = validatePair('xml', args, 'xmlFile');
      const name = options.name ?? `${path.basename(left)} ↔ ${path.basename(right)}`;
      return toSyncItem(items.add('xml', { name, left, right, conflictPolicy: options.conflictPolicy ?? 'ask', exclude: [], createdTime: context.now() }));
    },
  };
}

function toSyncItem(item: PairItem): SyncItem {
  return { id: item.id, name: item.name, comment: `${item.left} ↔ ${item.right}`, capabilities: { canDelete: true, queryBeforeDelete: true, eventStore: true, conflictStore: true } };
}

async function syncItem(item: PairItem, report: ReportItemProgress, signal: AbortSignal, context: HandlerContext): Promise<PairOutcome> {
  const t = handlerText();
  const result = await syncXmlReplicas(item.left, item.right, {
    clock: context.now,
    signal,
    conflictPolicy: enginePolicy(item.conflictPolicy),
    onProgress: (progress) => report(t(`progress.${progress.stage}`), progress.completed, progress.total),
  });
  const conflicts = item.conflictPolicy === 'keepBoth' ? await keepBoth(item, result.conflicts, context) : result.conflicts;
  return { status: result.status, conflicts: conflicts.map((conflict) => toReport(item, conflict)), events: [], statistics: { toLeft: result.download, toRight: result.upload } };
}

/**
 * The "keep both" policy: resolves every conflict so. A resolution refused because an earlier one's sync changed
 * its element (`XML_CONFLICT_CHANGED`) is met again by a new sync, a few passes at most; what is left is reported.
 */
async function keepBoth(item: PairItem, found: readonly XmlConflict[], context: HandlerContext): Promise<XmlConflict[]> {
  let conflicts = [...found];
  for (let pass = 0; pass < 3 && conflicts.length > 0; pass += 1) {
    let refused = false;
    for (const conflict of conflicts) {
      try {
        await resolveXmlConflict(item.left, item.right, conflict, 'keepBoth', options(context));
      } catch (error) {
        if (!(error instanceof XmlReplicaError && error.code === 'XML_CONFLICT_CHANGED')) throw error;
        refused = true;
      }
    }
    if (!refused) return [];
    conflicts = (await syncXmlReplicas(item.left, item.right, { ...options(context), conflictPolicy: 'saveForLater' })).conflicts;
  }
  return conflicts;
}

function enginePolicy(policy: ConflictPolicy): SyncXmlOptions['conflictPolicy'] {
  const map: Record<ConflictPolicy, SyncXmlOptions['conflictPolicy']> = { ask: 'saveForLater', keepBoth: 'saveForLater', newerWins: 'keepNewer', leftWins: 'leftWins', rightWins: 'rightWins' };
  return map[policy];
}

function toReport(item: PairItem, conflict: XmlConflict): Omit<ConflictReport, 'itemId'> {
  const t = handlerText();
  const version = (side: 'left' | 'right', xml: string | null) => ({
    side,
    label: `${t(`side.${side}`)}: ${path.basename(side === 'left' ? item.left : item.right)}`,
    // An element keeps no time of its own (the file's time is any element's), so none is shown rather than one
    // that is not when this version was made; "keep newer" keeps the sync order's later version.
    modifiedTime: null,
    size: xml === null ? null : Buffer.byteLength(xml),
    location: `${side === 'left' ? item.left : item.right}#${conflict.name}`,
    preview: xml === null ? { kind: 'deleted' as const, text: '', truncated: false } : { kind: 'xml' as const, text: xml.slice(0, previewLimit), truncated: xml.length > previewLimit },
  });
  return {
    kind: conflict.kind,
    name: conflict.name,
    description: `${t(`conflict.${conflict.kind}`)} ${t('conflict.xmlKeepNewer')}`,
    versions: [version('left', conflict.leftXml), version('right', conflict.rightXml)],
    data: conflict,
  };
}

async function resolve(items: PairItemStore, item: PairItem, conflict: StoredConflict, choice: ResolutionChoice, context: HandlerContext): Promise<ResolveOutcome> {
  if (choice === 'skip') return { itemSynced: false };
  if (choice === 'removeFromSyncSet') throw new ControlError('NOT_SUPPORTED', handlerText()('guard.xmlCannotRemove'));
  const resolution: Record<Exclude<ResolutionChoice, 'skip' | 'removeFromSyncSet'>, XmlResolution> = { keepLeft: 'keepLeft', keepRight: 'keepRight', keepAll: 'keepBoth', keepNewer: 'keepNewer' };
  const startedTime = context.now();
  const result = await resolveXmlConflict(item.left, item.right, conflict.data as XmlConflict, resolution[choice], options(context));
  recordResolutionSync(items, item.id, { startedTime, finishedTime: context.now(), statistics: { toLeft: result.download, toRight: result.upload }, conflicts: result.conflicts.length });
  return { itemSynced: true };
}

function options(context: HandlerContext): SyncXmlOptions {
  return { clock: context.now };
}
