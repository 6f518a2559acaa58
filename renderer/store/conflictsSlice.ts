import type { StateCreator } from 'zustand';
import type { AppState, AppMutators } from './appState.ts';

/**
 * One open conflict. The conflict store is not in the contract yet, so this is the renderer's view model; the
 * bridge will map the host's DTO onto it. Handler counts already come from `HandlerSummary.conflictCount`.
 */
export interface ConflictEntry {
  readonly id: string;
  readonly handlerId: string;
  readonly itemId: string;
  /** The file or element in conflict. */
  readonly name: string;
  /** What kind of conflict (both changed, changed vs deleted, ...), a short host-provided label. */
  readonly kind: string;
  /** Epoch milliseconds when it was detected. */
  readonly detectedAt: number;
}

/** Open conflicts, the view's text filter and the multi-selection for bulk resolution. */
export interface ConflictsSlice {
  readonly conflicts: readonly ConflictEntry[];
  readonly conflictFilter: string;
  readonly selectedConflictIds: ReadonlySet<string>;
  setConflicts(conflicts: readonly ConflictEntry[]): void;
  setConflictFilter(text: string): void;
  toggleConflictSelected(id: string): void;
  /** Selects exactly these ids (select all visible) or none with an empty list. */
  selectConflicts(ids: readonly string[]): void;
}

/** Builds the conflicts slice. */
export const createConflictsSlice: StateCreator<AppState, AppMutators, [], ConflictsSlice> = (set) => ({
  conflicts: [],
  conflictFilter: '',
  selectedConflictIds: new Set(),
  setConflicts: (conflicts) =>
    set((state) => {
      // Resolved conflicts vanish from the list, so they must also leave the selection.
      const open = new Set(conflicts.map((conflict) => conflict.id));
      const selectedConflictIds = new Set([...state.selectedConflictIds].filter((id) => open.has(id)));
      return { conflicts, selectedConflictIds };
    }),
  setConflictFilter: (conflictFilter) => set({ conflictFilter }),
  toggleConflictSelected: (id) =>
    set((state) => {
      const selectedConflictIds = new Set(state.selectedConflictIds);
      if (!selectedConflictIds.delete(id)) selectedConflictIds.add(id);
      return { selectedConflictIds };
    }),
  selectConflicts: (ids) => set({ selectedConflictIds: new Set(ids) }),
});

/** The conflicts whose name, kind or handler name contain the filter text (case-insensitive). */
export function filterConflicts(
  conflicts: readonly ConflictEntry[],
  text: string,
  handlerName: (handlerId: string) => string,
): readonly ConflictEntry[] {
  const needle = text.trim().toLocaleLowerCase();
  if (needle.length === 0) return conflicts;
  return conflicts.filter((conflict) =>
    [conflict.name, conflict.kind, handlerName(conflict.handlerId)].some((field) => field.toLocaleLowerCase().includes(needle)),
  );
}
