import type { StateCreator } from 'zustand';
import type { Schedule } from '../../app/control/schemas.ts';
import type { AppState, AppMutators } from './appState.ts';

/** The host's schedules, as last read (each carries its computed next run). */
export interface SchedulesSlice {
  readonly schedules: readonly Schedule[];
  /** Replaces the list (initial load, `schedulesChanged`, resync after reconnect, after an edit). */
  setSchedules(schedules: readonly Schedule[]): void;
}

/** Builds the schedules slice. */
export const createSchedulesSlice: StateCreator<AppState, AppMutators, [], SchedulesSlice> = (set) => ({
  schedules: [],
  setSchedules: (schedules) => set({ schedules }),
});

/** The schedules that sync a handler or an item: its own, and for an item those of its whole handler too. */
export function schedulesFor(schedules: readonly Schedule[], handlerId: string, itemId: string | null): readonly Schedule[] {
  return schedules.filter((schedule) => schedule.handlerId === handlerId && (itemId === null || schedule.itemIds === null || schedule.itemIds.includes(itemId)));
}
