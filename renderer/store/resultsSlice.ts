import type { StateCreator } from 'zustand';
import type { AppState, AppMutators } from './appState.ts';

/** Severity of a sync result, as in the seeds' SYNCMGR_EVENT_LEVEL. */
export type ResultLevel = 'information' | 'warning' | 'error';

/**
 * One sync result (an event a handler reported). The host's event store is not in the contract yet, so this is
 * the renderer's own view model; when the contract grows an event DTO, the bridge maps it onto this shape.
 */
export interface ResultEntry {
  readonly id: string;
  readonly level: ResultLevel;
  /** Epoch milliseconds. */
  readonly time: number;
  readonly handlerId: string;
  readonly itemId: string | null;
  readonly name: string;
  readonly description: string;
  readonly link: string | null;
}

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
