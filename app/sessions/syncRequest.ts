/**
 * One start request (ISyncMgrSyncResult): it waits for an outcome from every item it asked for, whichever session
 * runs it, then resolves with the aggregate `{status, errors, conflicts}`.
 */
import type { SyncResult, SyncState } from '../control/schemas.ts';

/** The final outcome of one item in one run. */
export interface ItemOutcome {
  readonly state: SyncState;
  readonly errors: number;
  readonly conflicts: number;
}

/** A pending execution of one item; every request waiting on it gets its outcome. */
export interface Run {
  readonly handlerId: string;
  readonly itemId: string;
  readonly waiters: SyncRequest[];
}

/** A start request collecting item outcomes. */
export class SyncRequest {
  readonly id: string;
  readonly #outcomes = new Map<string, SyncResult['items'][number] | null>();
  readonly #resolve: (result: SyncResult) => void;
  readonly done: Promise<SyncResult>;

  constructor(id: string) {
    this.id = id;
    let resolve: (result: SyncResult) => void = () => {};
    this.done = new Promise((r) => (resolve = r));
    this.#resolve = resolve;
  }

  /** Registers an item this request waits for. */
  expect(run: Run): void {
    const key = `${run.handlerId}\u0000${run.itemId}`;
    if (this.#outcomes.has(key)) return;
    this.#outcomes.set(key, null);
    run.waiters.push(this);
  }

  /** Records an item's outcome; resolves the request once every item has one. */
  record(run: Run, outcome: ItemOutcome): SyncResult | null {
    const key = `${run.handlerId}\u0000${run.itemId}`;
    if (this.#outcomes.get(key) !== null) return null;
    this.#outcomes.set(key, { handlerId: run.handlerId, itemId: run.itemId, ...outcome });
    return this.settleIfComplete();
  }

  /** Resolves if nothing is pending (also for a request that named no runnable item). */
  settleIfComplete(): SyncResult | null {
    const items = [...this.#outcomes.values()];
    if (items.some((item) => item === null)) return null;
    const result = summarize(items.filter((item) => item !== null));
    this.#resolve(result);
    return result;
  }
}

const failedStates: ReadonlySet<SyncState> = new Set(['failed', 'disconnected']);

/** Failed beats canceled beats succeeded; counts add up. */
export function summarize(items: SyncResult['items']): SyncResult {
  const status = items.some((item) => failedStates.has(item.state))
    ? 'failed'
    : items.some((item) => item.state === 'canceled')
      ? 'canceled'
      : 'succeeded';
  const errors = items.reduce((sum, item) => sum + item.errors, 0);
  const conflicts = items.reduce((sum, item) => sum + item.conflicts, 0);
  return { status, errors, conflicts, items };
}
