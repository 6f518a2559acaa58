/**
 * Data-transfer shapes shared by every transport (IPC, web host, control endpoint, CLI --json).
 * Types are derived with `z.infer`, never written twice. This module is pure: no Node, DOM or Electron.
 */
import { z } from 'zod';

/** Handler and item ids follow the seeds' MAX_SYNCMGR_ID (64) and MAX_SYNCMGR_NAME (128). */
export const handlerIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'schema.idCharacters');
export const itemIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'schema.idCharacters');
export const nameSchema = z.string().min(1).max(128);

/** SYNCMGR_HANDLER_TYPE. */
export const handlerTypeSchema = z.enum(['application', 'device', 'folder', 'service', 'computer']);

/**
 * The state of an item or handler as Sync Center shows it. The first five mirror SYNCMGR_PROGRESS_STATUS;
 * `idle` is "never synced / nothing pending", `disconnected` and `conflict` are host-level outcomes.
 */
export const syncStateSchema = z.enum([
  'idle',
  'queued',
  'updating',
  'updatingIndeterminate',
  'succeeded',
  'failed',
  'canceled',
  'disconnected',
  'conflict',
]);

/** Live progress of an item or a handler. `max` 0 means indeterminate. */
export const progressSchema = z.object({
  current: z.number().int().nonnegative(),
  max: z.number().int().nonnegative(),
  text: z.string().max(260),
});

/**
 * What the window may offer for a handler or an item, from its policies and capabilities: commands it allows
 * (the others are greyed out, and the host refuses the prevented ones) and commands it wants confirmed by the
 * user first (SYNCMGR_HCM_QUERY_BEFORE_* / SYNCMGR_ICM_QUERY_BEFORE_*).
 */
export const commandPolicySchema = z.object({
  canSync: z.boolean(),
  canStop: z.boolean(),
  canEnable: z.boolean(),
  canDisable: z.boolean(),
  canDelete: z.boolean(),
  confirmEnable: z.boolean(),
  confirmDisable: z.boolean(),
  confirmDelete: z.boolean(),
});
export type CommandPolicy = z.infer<typeof commandPolicySchema>;

/** One sync item (a folder pair, an XML replica pair, ...). */
export const itemSummarySchema = z.object({
  id: itemIdSchema,
  handlerId: handlerIdSchema,
  name: nameSchema,
  comment: z.string().max(1024),
  enabled: z.boolean(),
  connected: z.boolean(),
  state: syncStateSchema,
  progress: progressSchema.nullable(),
  lastSyncTime: z.number().int().nullable(),
  errorCount: z.number().int().nonnegative(),
  conflictCount: z.number().int().nonnegative(),
  /** When the earliest enabled schedule covering this item runs next; absent or null when none is timed. */
  nextScheduledTime: z.number().int().nullable().optional(),
  /** Its handler can show where its data lives ("Browse"): `getItemDetails` lists the locations. */
  browsable: z.boolean().optional(),
  /** Absent from hosts that predate it: then every command is offered and none asks first. */
  commands: commandPolicySchema.optional(),
});

/** One handler with its items, as the Sync partnerships view lists it. */
export const handlerSummarySchema = z.object({
  id: handlerIdSchema,
  name: nameSchema,
  type: handlerTypeSchema,
  typeLabel: z.string().max(128),
  comment: z.string().max(1024),
  enabled: z.boolean(),
  connected: z.boolean(),
  active: z.boolean(),
  state: syncStateSchema,
  progress: progressSchema.nullable(),
  lastSyncTime: z.number().int().nullable(),
  errorCount: z.number().int().nonnegative(),
  conflictCount: z.number().int().nonnegative(),
  /** When the earliest enabled schedule of this handler or of one of its items runs next; absent or null when none is timed. */
  nextScheduledTime: z.number().int().nullable().optional(),
  commands: commandPolicySchema.optional(),
  items: z.array(itemSummarySchema),
});

/** What the host says about itself (version, where its state lives). */
export const hostInfoSchema = z.object({
  version: z.string(),
  platform: z.string(),
  transport: z.enum(['ipc', 'web', 'endpoint', 'inProcess']),
});

/** SYNCMGR_EVENT_LEVEL. */
export const eventLevelSchema = z.enum(['information', 'warning', 'error']);

/** One stored event (a line of Sync Results). `id` is host-assigned and stable. */
export const syncResultEventSchema = z.object({
  id: z.string().min(1).max(64),
  handlerId: handlerIdSchema,
  itemId: itemIdSchema.nullable(),
  level: eventLevelSchema,
  name: z.string().max(128),
  description: z.string().max(4096),
  link: z.string().max(2048).nullable(),
  context: z.string().max(4096).nullable(),
  time: z.number().int(),
});

/** One side of a conflict, as the Conflicts view shows it ("left" and "right" replicas of the item). */
export const conflictVersionSchema = z.object({
  side: z.enum(['left', 'right']),
  label: z.string().max(1024),
  modifiedTime: z.number().int().nullable(),
  size: z.number().int().nonnegative().nullable(),
  /** Where this version lives (a path, or file#element for XML items). */
  location: z.string().max(4096).optional(),
  /** What the resolve dialog previews: text (diffed side by side), an XML element, or nothing for binary data. */
  preview: z.object({ kind: z.enum(['text', 'xml', 'binary', 'deleted']), text: z.string().max(65_536), truncated: z.boolean() }).optional(),
  /**
   * A safety stop's conflict (`massDelete`, `rootMissing`) marks the side it stopped at: where the files were
   * deleted, the folder not recognized. The window and the CLI ask their question about that side.
   */
  stopped: z.boolean().optional(),
});

/** Per-item conflict policy (folders, XML): ask the user, or decide automatically. */
export const conflictPolicySchema = z.enum(['ask', 'newerWins', 'leftWins', 'rightWins', 'keepBoth']);
export type ConflictPolicy = z.infer<typeof conflictPolicySchema>;

/** What one direction of an item's last session did to the receiving side. */
export const directionStatisticsSchema = z.object({
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  /** Items renamed or moved (0 in sessions recorded before moves were counted apart from changes). */
  moved: z.number().int().nonnegative().default(0),
  deleted: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  /** Changes the receiving side failed to write (retried next time). */
  failed: z.number().int().nonnegative(),
});

/** How an item's last session went, as its handler recorded it (survives restarts, unlike live progress). */
export const lastSessionSchema = z.object({
  startedTime: z.number().int(),
  finishedTime: z.number().int(),
  outcome: z.enum(['succeeded', 'canceled', 'failed']),
  /** Changes received by the left and the right side; null when that direction did not run. */
  toLeft: directionStatisticsSchema.nullable(),
  toRight: directionStatisticsSchema.nullable(),
  /** Conflicts left open for the user. */
  conflicts: z.number().int().nonnegative(),
  /** Why it failed. */
  message: z.string().max(4096).nullable(),
});

/** One place an item's data lives: a side of a pair, or a single location (`side` null). */
export const itemLocationSchema = z.object({ side: z.enum(['left', 'right']).nullable(), path: z.string().min(1).max(4096) });

/** An item's Properties and Browse data: where it lives, its options, and its last session. */
export const itemDetailsSchema = z.object({
  handlerId: handlerIdSchema,
  itemId: itemIdSchema,
  browsable: z.boolean(),
  locations: z.array(itemLocationSchema).max(16),
  conflictPolicy: conflictPolicySchema.nullable(),
  exclude: z.array(z.string().max(1024)).max(256),
  lastSession: lastSessionSchema.nullable(),
});
export type DirectionStatistics = z.infer<typeof directionStatisticsSchema>;
export type LastSession = z.infer<typeof lastSessionSchema>;
export type ItemLocation = z.infer<typeof itemLocationSchema>;
export type ItemDetails = z.infer<typeof itemDetailsSchema>;

/** One open conflict. `kind` groups conflicts for "apply to all of this kind" (e.g. updateUpdate, updateDelete). */
export const conflictSchema = z.object({
  id: z.string().min(1).max(64),
  handlerId: handlerIdSchema,
  itemId: itemIdSchema,
  kind: z.string().min(1).max(64),
  name: z.string().max(1024),
  description: z.string().max(4096),
  versions: z.array(conflictVersionSchema).max(8),
  detectedTime: z.number().int(),
});

/**
 * How to resolve a conflict: keep one side, keep all (both, renamed), keep the most recent, remove the item from
 * the sync set, or skip (leave it to the next sync, which reports it again if it still holds).
 */
export const resolutionChoiceSchema = z.enum(['keepLeft', 'keepRight', 'keepAll', 'keepNewer', 'removeFromSyncSet', 'skip']);

/** SYNCMGR_CANCEL_REQUEST, as an external reporter receives it. */
export const cancelRequestSchema = z.enum(['none', 'cancelItem', 'cancelAll']);

/** SYNCMGR_PROGRESS_STATUS: what a handler may report for an item. */
export const progressStatusSchema = z.enum(['queued', 'updating', 'updatingIndeterminate', 'succeeded', 'failed', 'canceled', 'disconnected']);

/** The outcome of one start request (ISyncMgrSyncResult): aggregate status and counts over its items. */
export const syncResultSchema = z.object({
  status: z.enum(['succeeded', 'failed', 'canceled']),
  errors: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  items: z.array(
    z.object({
      handlerId: handlerIdSchema,
      itemId: itemIdSchema,
      state: syncStateSchema,
      errors: z.number().int().nonnegative(),
      conflicts: z.number().int().nonnegative(),
    }),
  ),
});

/** Days of the week, as schedules name them (Monday first). */
export const weekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

const wholeMinutes = (max: number) => z.number().int('schema.wholeMinutes').min(1, 'schema.atLeastMinutes').max(max, 'schema.atMostMinutes');

/**
 * What starts a scheduled sync: every N minutes; at a local time of day on chosen weekdays; when the host starts;
 * when the computer has been idle for N minutes; when the session is locked or unlocked; or when the item's files
 * change (after `delaySeconds` without further changes, at most once every `minIntervalSeconds`).
 */
export const scheduleTriggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('interval'), minutes: wholeMinutes(44_640) }).strict(),
  z
    .object({
      kind: z.literal('timeOfDay'),
      time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'schema.timeOfDay'),
      weekdays: z.array(weekdaySchema).min(1, 'schema.oneWeekday').max(7),
    })
    .strict(),
  z.object({ kind: z.literal('appStart') }).strict(),
  z.object({ kind: z.literal('idle'), minutes: wholeMinutes(1440) }).strict(),
  z.object({ kind: z.literal('lock') }).strict(),
  z.object({ kind: z.literal('unlock') }).strict(),
  z
    .object({
      kind: z.literal('fileChange'),
      delaySeconds: z.number().min(0.1, 'schema.atLeastSeconds').max(3600, 'schema.atMostSeconds').default(2),
      minIntervalSeconds: z.number().int('schema.wholeSeconds').min(0, 'schema.notNegative').max(86_400, 'schema.atMostSeconds').default(0),
    })
    .strict(),
]);

/** When a triggered sync may run: only on AC power; not more often than every N minutes. A blocked run waits. */
export const scheduleConditionsSchema = z
  .object({
    acPowerOnly: z.boolean().default(false),
    minIntervalMinutes: wholeMinutes(10_080).nullable().default(null),
  })
  .strict();

/** One schedule: what it syncs (a handler's items, or a selection), when, under which conditions, and its next run. */
export const scheduleSchema = z.object({
  id: z.string().min(1).max(64),
  name: nameSchema,
  enabled: z.boolean(),
  handlerId: handlerIdSchema,
  /** The items it syncs; null means every enabled item of the handler. */
  itemIds: z.array(itemIdSchema).min(1).max(1000).nullable(),
  trigger: scheduleTriggerSchema,
  conditions: scheduleConditionsSchema,
  lastRunTime: z.number().int().nullable(),
  /** The computed next run: a time for timed triggers (and a pending change), null when it waits for an event. */
  nextRunTime: z.number().int().nullable(),
});

export type Weekday = z.infer<typeof weekdaySchema>;
export type ScheduleTrigger = z.infer<typeof scheduleTriggerSchema>;
export type ScheduleTriggerKind = ScheduleTrigger['kind'];
export type ScheduleConditions = z.infer<typeof scheduleConditionsSchema>;
export type Schedule = z.infer<typeof scheduleSchema>;
export type HandlerType = z.infer<typeof handlerTypeSchema>;
export type SyncState = z.infer<typeof syncStateSchema>;
export type Progress = z.infer<typeof progressSchema>;
export type ItemSummary = z.infer<typeof itemSummarySchema>;
export type HandlerSummary = z.infer<typeof handlerSummarySchema>;
export type HostInfo = z.infer<typeof hostInfoSchema>;
export type EventLevel = z.infer<typeof eventLevelSchema>;
export type SyncResultEvent = z.infer<typeof syncResultEventSchema>;
export type ConflictVersion = z.infer<typeof conflictVersionSchema>;
export type Conflict = z.infer<typeof conflictSchema>;
export type ResolutionChoice = z.infer<typeof resolutionChoiceSchema>;
export type CancelRequest = z.infer<typeof cancelRequestSchema>;
export type ProgressStatus = z.infer<typeof progressStatusSchema>;
export type SyncResult = z.infer<typeof syncResultSchema>;
