/**
 * One running session's bookkeeping: the items it runs, their live status, and the seeds' status rules
 * (after succeeded, failed or canceled only failed is accepted; anything else marks the item failed).
 */
import type { Progress, ProgressStatus, SyncState } from '../control/schemas.ts';
import type { SessionDriver } from '../runtime/workerSessionDriver.ts';
import type { ProposedItem } from '../runtime/syncHandler.ts';
import type { ItemOutcome, Run } from './syncRequest.ts';

/** One item inside a session. */
export interface SessionItem {
  readonly run: Run;
  status: ProgressStatus;
  progress: Progress | null;
  errors: number;
  conflicts: number;
  /** Ids of the conflicts reported for this item in this session. */
  conflictIds: string[];
  /** Names of the conflicts this session found that were not open before it. */
  newConflicts: string[];
  cancelRequested: boolean;
}

const finalStatuses: ReadonlySet<ProgressStatus> = new Set(['succeeded', 'failed', 'canceled']);

/** Whether a status ends an item. */
export function isFinal(status: ProgressStatus): boolean {
  return finalStatuses.has(status);
}

/** The outcome of applying one progress report. */
export type ProgressVerdict = { kind: 'accepted'; becameFinal: boolean } | { kind: 'violation'; previous: ProgressStatus };

/** A running session of one handler. */
export class ActiveSession {
  readonly id: string;
  readonly handlerId: string;
  readonly driver: SessionDriver;
  readonly items = new Map<string, SessionItem>();
  readonly proposed = new Map<string, ProposedItem>();
  readonly external: boolean;
  manual = false;
  stopping = false;
  ended = false;
  /** A write of this session's records failed (the state store refused it); said once in Sync results. */
  recordsFailed = false;
  handlerText = '';
  graceTimer: unknown = null;

  constructor(id: string, handlerId: string, driver: SessionDriver, runs: readonly Run[], external: boolean) {
    this.id = id;
    this.handlerId = handlerId;
    this.driver = driver;
    this.external = external;
    for (const run of runs) this.addRun(run);
  }

  addRun(run: Run): void {
    this.items.set(run.itemId, { run, status: 'queued', progress: null, errors: 0, conflicts: 0, conflictIds: [], newConflicts: [], cancelRequested: false });
  }

  /** Whether the item is in this session and not yet final. */
  isRunning(itemId: string): boolean {
    const item = this.items.get(itemId);
    return item !== undefined && !isFinal(item.status);
  }

  /** Items still running. */
  unfinished(): SessionItem[] {
    return [...this.items.values()].filter((item) => !isFinal(item.status));
  }

  /** Applies a report under the status rules. */
  applyProgress(item: SessionItem, status: ProgressStatus, progress: Progress): ProgressVerdict {
    if (isFinal(item.status)) {
      if (status !== 'failed') {
        const previous = item.status;
        item.status = 'failed';
        return { kind: 'violation', previous };
      }
      item.status = 'failed';
      item.progress = progress;
      return { kind: 'accepted', becameFinal: true };
    }
    item.status = status;
    item.progress = progress;
    return { kind: 'accepted', becameFinal: isFinal(status) };
  }

  /** Gives every unfinished item its end state when the session ends. */
  settleUnfinished(state: (item: SessionItem) => ProgressStatus): SessionItem[] {
    const settled = this.unfinished();
    for (const item of settled) item.status = state(item);
    return settled;
  }
}

/** The state Sync Center shows for an item's status. */
export function displayState(item: Pick<SessionItem, 'status' | 'conflicts'>): SyncState {
  if (item.status === 'succeeded' && item.conflicts > 0) return 'conflict';
  return item.status;
}

/** The outcome a finished item gives its waiting requests. */
export function outcomeOf(item: SessionItem): ItemOutcome {
  return { state: displayState(item), errors: item.errors, conflicts: item.conflicts };
}
