import type { HandlerSummary, ItemSummary } from '../../../app/control/schemas.ts';

/**
 * What the Status column says about a handler or item. The host reports a raw SYNCMGR-style state plus flags and
 * counts; the user needs one answer, so this folds them in a fixed priority: a disabled or unplugged partnership
 * cannot sync at all, an active sync is news, and open conflicts outrank errors because they need a decision.
 */
export type DisplayStatus = 'disabled' | 'disconnected' | 'syncing' | 'queued' | 'conflicts' | 'attention' | 'canceled' | 'synced' | 'notSynced';

/** The tone of a status, for its colour and icon. */
export type StatusTone = 'neutral' | 'active' | 'success' | 'warning' | 'danger';

type Syncable = Pick<HandlerSummary | ItemSummary, 'enabled' | 'connected' | 'state' | 'errorCount' | 'conflictCount' | 'lastSyncTime'>;

/** Folds the host's state, flags and counts into the one status the row shows. */
export function displayStatus(entry: Syncable): DisplayStatus {
  if (!entry.enabled) return 'disabled';
  if (!entry.connected || entry.state === 'disconnected') return 'disconnected';
  if (entry.state === 'updating' || entry.state === 'updatingIndeterminate') return 'syncing';
  if (entry.state === 'queued') return 'queued';
  if (entry.state === 'conflict' || entry.conflictCount > 0) return 'conflicts';
  if (entry.state === 'failed' || entry.errorCount > 0) return 'attention';
  if (entry.state === 'canceled') return 'canceled';
  if (entry.state === 'succeeded' || entry.lastSyncTime !== null) return 'synced';
  return 'notSynced';
}

const tones: Record<DisplayStatus, StatusTone> = {
  disabled: 'neutral',
  disconnected: 'warning',
  syncing: 'active',
  queued: 'active',
  conflicts: 'warning',
  attention: 'danger',
  canceled: 'neutral',
  synced: 'success',
  notSynced: 'neutral',
};

/** The tone a status is drawn in. */
export function statusTone(status: DisplayStatus): StatusTone {
  return tones[status];
}

/** True while a sync runs or waits to run, so Stop applies and Sync does not. */
export function isActive(entry: Pick<Syncable, 'state'>): boolean {
  return entry.state === 'queued' || entry.state === 'updating' || entry.state === 'updatingIndeterminate';
}
