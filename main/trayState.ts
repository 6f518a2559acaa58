/**
 * What the tray shows, derived from the handler list: syncing wins over conflicts, conflicts over errors,
 * errors over idle — the most actionable state a glance should reveal.
 */
import type { HandlerSummary } from '../app/control/schemas.ts';

export type TrayState = 'idle' | 'syncing' | 'conflicts' | 'errors';

/** The tray's state and the counts its tooltip names. */
export interface TraySummary {
  readonly state: TrayState;
  readonly conflicts: number;
  readonly errors: number;
}

const busy = new Set(['queued', 'updating', 'updatingIndeterminate']);

/** Summarizes the visible handlers for the tray. */
export function summarizeForTray(handlers: readonly HandlerSummary[]): TraySummary {
  let conflicts = 0;
  let errors = 0;
  let syncing = false;
  for (const handler of handlers) {
    conflicts += handler.conflictCount;
    errors += handler.errorCount;
    if (busy.has(handler.state) || handler.items.some((item) => busy.has(item.state))) syncing = true;
  }
  const state: TrayState = syncing ? 'syncing' : conflicts > 0 ? 'conflicts' : errors > 0 ? 'errors' : 'idle';
  return { state, conflicts, errors };
}
