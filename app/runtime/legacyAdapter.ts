/**
 * Runs a handler written in the older asynchronous SyncMgr style (001_*: Initialize, EnumSyncMgrItems,
 * SetProgressCallback, PrepareForSync → PrepareForSyncCompleted, Synchronize → SynchronizeCompleted, Progress
 * returning cancel-item or cancel-all, LogError) unchanged inside the modern runtime.
 */
import { hostText } from './hostText.ts';
import type { HandlerInfo, SyncHandler, SyncItem, SyncSession } from './syncHandler.ts';

/** SYNCMGRSTATUS of the old interface. */
export type LegacyStatus = 'pending' | 'updating' | 'succeeded' | 'failed' | 'paused' | 'resuming' | 'skipped' | 'deleted';

/** SYNCMGRPROGRESSITEM. */
export interface LegacyProgressItem {
  readonly statusText?: string;
  readonly statusType?: LegacyStatus;
  readonly progressValue?: number;
  readonly maxValue?: number;
}

/** What Progress returns: S_OK, S_SYNCMGR_CANCELITEM or S_SYNCMGR_CANCELALL. */
export type LegacyProgressAnswer = 'ok' | 'cancelItem' | 'cancelAll';

/** ISyncMgrSynchronizeCallback, as the host gives it to a legacy handler. */
export interface LegacyCallback {
  progress(itemId: string, item: LegacyProgressItem): LegacyProgressAnswer;
  logError(level: 'information' | 'warning' | 'error', text: string, itemId?: string): void;
  enableModeless(enable: boolean): void;
  prepareForSyncCompleted(ok: boolean): void;
  synchronizeCompleted(ok: boolean): void;
}

/** SYNCMGRITEM. */
export interface LegacyItem {
  readonly itemId: string;
  readonly name: string;
}

/** ISyncMgrSynchronize: the old asynchronous handler interface. */
export interface LegacySyncHandler {
  initialize(flags: { readonly reason: 'manual' | 'scheduled' }): void;
  getHandlerInfo(): { readonly name: string; readonly typeLabel?: string };
  enumSyncMgrItems(): readonly LegacyItem[];
  setProgressCallback(callback: LegacyCallback): void;
  /** Returns at once; calls `prepareForSyncCompleted` later. */
  prepareForSync(itemIds: readonly string[]): void;
  /** Returns at once; calls `synchronizeCompleted` once every item is done. */
  synchronize(): void;
}

const statusMap: Record<LegacyStatus, 'queued' | 'updating' | 'succeeded' | 'failed' | 'canceled'> = {
  pending: 'queued',
  updating: 'updating',
  resuming: 'updating',
  paused: 'updating',
  succeeded: 'succeeded',
  failed: 'failed',
  skipped: 'canceled',
  deleted: 'succeeded',
};

/** Wraps a legacy handler; `create` builds a fresh instance (one per session, as SyncMgr did). */
export function adaptLegacyHandler(id: string, info: HandlerInfo, create: () => LegacySyncHandler): SyncHandler {
  const probe = create();
  probe.initialize({ reason: 'manual' });
  return {
    id,
    name: probe.getHandlerInfo().name,
    info: { ...info, typeLabel: probe.getHandlerInfo().typeLabel ?? info.typeLabel },
    items: (): SyncItem[] => probe.enumSyncMgrItems().map((item) => ({ id: item.itemId, name: item.name })),
    synchronize: (itemIds, session) => runLegacy(create(), itemIds, session),
  };
}

/** Drives one legacy sync to its SynchronizeCompleted, mapping callbacks onto the session. */
function runLegacy(legacy: LegacySyncHandler, itemIds: readonly string[], session: SyncSession): Promise<void> {
  return new Promise((resolve, reject) => {
    const last = new Map<string, LegacyProgressItem>();
    const callback: LegacyCallback = {
      progress(itemId, item) {
        const merged = { ...last.get(itemId), ...item };
        last.set(itemId, merged);
        const status = statusMap[merged.statusType ?? 'updating'];
        const answer = session.reportProgress(itemId, merged.statusText ?? '', status, merged.progressValue ?? 0, merged.maxValue ?? 0);
        return answer === 'none' ? 'ok' : answer;
      },
      logError: (level, text, itemId) => session.reportEvent({ itemId: itemId ?? null, level, name: 'Handler message', description: text }),
      enableModeless: () => {},
      prepareForSyncCompleted(ok) {
        if (ok) legacy.synchronize();
        else reject(new Error(hostText()('failure.legacyNotPrepared')));
      },
      synchronizeCompleted: (ok) => (ok ? resolve() : reject(new Error(hostText()('failure.legacyFailed')))),
    };
    legacy.initialize({ reason: 'manual' });
    legacy.setProgressCallback(callback);
    legacy.prepareForSync(itemIds);
  });
}
