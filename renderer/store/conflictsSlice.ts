import type { StateCreator } from 'zustand';
import type { Conflict } from '../../app/control/schemas.ts';
import type { AppState, AppMutators } from './appState.ts';

/** One open conflict, as the host's conflict store keeps it (with both versions for the resolve dialog). */
export type ConflictEntry = Conflict;

/** Open conflicts, the view's text filter and the multi-selection for bulk resolution. */
export interface ConflictsSlice {
  readonly conflicts: readonly ConflictEntry[];
  readonly conflictFilter: string;
  readonly selectedConflictIds: ReadonlySet<string>;
  /** Where a Shift range starts: the last conflict clicked without Shift. */
  readonly conflictAnchor: string | null;
  setConflicts(conflicts: readonly ConflictEntry[]): void;
  /** Adds or replaces one conflict (`conflictDetected`). */
  upsertConflict(conflict: ConflictEntry): void;
  /** Drops resolved or removed conflicts (`conflictsResolved`). */
  removeConflicts(ids: readonly string[]): void;
  setConflictFilter(text: string): void;
  toggleConflictSelected(id: string): void;
  /** Selects exactly these ids (select all visible) or none with an empty list. */
  selectConflicts(ids: readonly string[]): void;
  /** A click on a conflict with its modifier: `replace` (plain row click), `toggle` (checkbox, Ctrl/Cmd), `range` (Shift). */
  clickConflict(id: string, mode: SelectionMode, visibleIds: readonly string[]): void;
}

/** How a click changes a multi-selection, as in a file manager. */
export type SelectionMode = 'replace' | 'toggle' | 'range';

/** Builds the conflicts slice. */
export const createConflictsSlice: StateCreator<AppState, AppMutators, [], ConflictsSlice> = (set) => ({
  conflicts: [],
  conflictFilter: '',
  selectedConflictIds: new Set(),
  conflictAnchor: null,
  setConflicts: (conflicts) =>
    set((state) => {
      // Resolved conflicts vanish from the list, so they must also leave the selection.
      const open = new Set(conflicts.map((conflict) => conflict.id));
      const selectedConflictIds = new Set([...state.selectedConflictIds].filter((id) => open.has(id)));
      return { conflicts, selectedConflictIds };
    }),
  upsertConflict: (conflict) =>
    set((state) => {
      const index = state.conflicts.findIndex((candidate) => candidate.id === conflict.id);
      return { conflicts: index === -1 ? [...state.conflicts, conflict] : state.conflicts.with(index, conflict) };
    }),
  removeConflicts: (ids) =>
    set((state) => {
      const gone = new Set(ids);
      return {
        conflicts: state.conflicts.filter((conflict) => !gone.has(conflict.id)),
        selectedConflictIds: new Set([...state.selectedConflictIds].filter((id) => !gone.has(id))),
      };
    }),
  setConflictFilter: (conflictFilter) => set({ conflictFilter }),
  toggleConflictSelected: (id) =>
    set((state) => {
      const selectedConflictIds = new Set(state.selectedConflictIds);
      if (!selectedConflictIds.delete(id)) selectedConflictIds.add(id);
      return { selectedConflictIds };
    }),
  selectConflicts: (ids) => set({ selectedConflictIds: new Set(ids), conflictAnchor: ids.length === 0 ? null : (ids[0] ?? null) }),
  clickConflict: (id, mode, visibleIds) =>
    set((state) => {
      const next = selectionAfterClick(state.selectedConflictIds, state.conflictAnchor, visibleIds, id, mode);
      return { selectedConflictIds: next.selected, conflictAnchor: next.anchor };
    }),
});

/**
 * The selection after a click. Shift adds the range from the anchor to the clicked row (the rows shown, in
 * order) and keeps the anchor, so successive Shift-clicks grow from the same place; the other modes move it.
 */
export function selectionAfterClick(
  selected: ReadonlySet<string>,
  anchor: string | null,
  visibleIds: readonly string[],
  id: string,
  mode: SelectionMode,
): { readonly selected: ReadonlySet<string>; readonly anchor: string | null } {
  if (mode === 'replace') return { selected: new Set([id]), anchor: id };
  if (mode === 'toggle') {
    const next = new Set(selected);
    if (!next.delete(id)) next.add(id);
    return { selected: next, anchor: id };
  }
  const from = anchor === null ? -1 : visibleIds.indexOf(anchor);
  const to = visibleIds.indexOf(id);
  if (from === -1 || to === -1) return { selected: new Set(selected).add(id), anchor: id };
  const next = new Set(selected);
  for (const rangeId of visibleIds.slice(Math.min(from, to), Math.max(from, to) + 1)) next.add(rangeId);
  return { selected: next, anchor };
}

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
