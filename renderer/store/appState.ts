import type { ConflictsSlice } from './conflictsSlice.ts';
import type { HandlersSlice } from './handlersSlice.ts';
import type { ResultsSlice } from './resultsSlice.ts';
import type { SchedulesSlice } from './schedulesSlice.ts';
import type { UiSlice } from './uiSlice.ts';

/** The whole renderer state: the union of every slice. */
export type AppState = HandlersSlice & ResultsSlice & ConflictsSlice & SchedulesSlice & UiSlice;

/** The middleware applied to the combined store, which every slice creator must declare. */
export type AppMutators = [['zustand/persist', unknown]];
