import type { StateCreator } from 'zustand';
import type { EventLevel, SyncResultEvent } from '../../app/control/schemas.ts';
import type { AppState, AppMutators } from './appState.ts';

/** Severity of a sync result, as in the seeds' SYNCMGR_EVENT_LEVEL. */
export type ResultLevel = EventLevel;

/** One sync result (an event a handler reported), as the host's event store keeps it. */
export type ResultEntry = SyncResultEvent;

/** Filters of the Sync results view; `null` means "all". */
export interface ResultFilter {
  readonly level: ResultLevel | null;
  readonly handlerId: string | null;
}

/** Sync results (the event store) and the view's filters. */
export interface ResultsSlice {
  readonly results: readonly ResultEntry[];
  readonly resultFilter: ResultFilter;
  setResults(results: readonly ResultEntry[]): void;
  /** Adds results reported live; newest first, without duplicates. */
  addResults(results: readonly ResultEntry[]): void;
  clearResults(): void;
  /** Drops results the host removed (`eventsRemoved`). */
  removeResults(ids: readonly string[]): void;
  setResultFilter(filter: Partial<ResultFilter>): void;
}

/** Builds the results slice. */
export const createResultsSlice: StateCreator<AppState, AppMutators, [], ResultsSlice> = (set) => ({
  results: [],
  resultFilter: { level: null, handlerId: null },
  setResults: (results) => set({ results: [...results].sort(newestFirst) }),
  addResults: (added) =>
    set((state) => {
      const known = new Set(state.results.map((result) => result.id));
      const fresh = added.filter((result) => !known.has(result.id));
      return fresh.length === 0 ? state : { results: [...fresh, ...state.results].sort(newestFirst) };
    }),
  clearResults: () => set({ results: [] }),
  removeResults: (ids) =>
    set((state) => {
      const gone = new Set(ids);
      return { results: state.results.filter((result) => !gone.has(result.id)) };
    }),
  setResultFilter: (filter) => set((state) => ({ resultFilter: { ...state.resultFilter, ...filter } })),
});

/** The results a filter keeps, in display order. */
export function filterResults(results: readonly ResultEntry[], filter: ResultFilter): readonly ResultEntry[] {
  if (filter.level === null && filter.handlerId === null) return results;
  return results.filter(
    (result) => (filter.level === null || result.level === filter.level) && (filter.handlerId === null || result.handlerId === filter.handlerId),
  );
}

function newestFirst(a: ResultEntry, b: ResultEntry): number {
  return b.time - a.time;
}
