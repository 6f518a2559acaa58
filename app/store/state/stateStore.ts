/**
 * The host's persistent state in one SQLite file: events, conflicts, settings and schedules.
 */
import { mkdirSync } from 'node:fs';
import { createConflictStore, type ConflictStore } from './conflictStore.ts';
import { createEventStore, type EventStore } from './eventStore.ts';
import { createScheduleStore, type ScheduleStore } from './scheduleStore.ts';
import { createSettingsStore, type SettingsStore } from './settingsStore.ts';
import { openStateDatabase } from './stateDatabase.ts';

export interface StateStore {
  readonly events: EventStore;
  readonly conflicts: ConflictStore;
  readonly settings: SettingsStore;
  readonly schedules: ScheduleStore;
  close(): void;
}

/** Options of the state store. */
export interface StateStoreOptions {
  readonly now: () => number;
  readonly newId: () => string;
  /** The most events kept (oldest pruned first). */
  readonly eventRetention: number;
}

/** Opens the store in `stateDir` (created owner-only if missing). */
export function openStateStore(stateDir: string, options: StateStoreOptions): StateStore {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const db = openStateDatabase(stateDir);
  return {
    events: createEventStore(db, options.now, options.newId, options.eventRetention),
    conflicts: createConflictStore(db, options.now, options.newId),
    settings: createSettingsStore(db),
    schedules: createScheduleStore(db),
    close: () => db.close(),
  };
}
