/**
 * Data-transfer shapes shared by every transport (IPC, web host, control endpoint, CLI --json).
 * Types are derived with `z.infer`, never written twice. This module is pure: no Node, DOM or Electron.
 */
import { z } from 'zod';

/** Handler and item ids follow the seeds' MAX_SYNCMGR_ID (64) and MAX_SYNCMGR_NAME (128). */
export const handlerIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'ids use letters, digits, ".", "_", ":" and "-" only');
export const itemIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'ids use letters, digits, ".", "_", ":" and "-" only');
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
  items: z.array(itemSummarySchema),
});

/** What the host says about itself (version, where its state lives). */
export const hostInfoSchema = z.object({
  version: z.string(),
  platform: z.string(),
  transport: z.enum(['ipc', 'web', 'endpoint', 'inProcess']),
});

export type HandlerType = z.infer<typeof handlerTypeSchema>;
export type SyncState = z.infer<typeof syncStateSchema>;
export type Progress = z.infer<typeof progressSchema>;
export type ItemSummary = z.infer<typeof itemSummarySchema>;
export type HandlerSummary = z.infer<typeof handlerSummarySchema>;
export type HostInfo = z.infer<typeof hostInfoSchema>;
