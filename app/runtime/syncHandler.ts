/**
 * The handler SDK: what a handler (built-in or third-party) implements, after ISyncMgrHandler / ISyncMgrSyncItem,
 * and the `SyncSession` it receives in `synchronize` (ISyncMgrSyncCallback). Pure types plus small constants;
 * a handler module imports only this file.
 */
import type { ConflictPolicy } from '../control/schemas.ts';
import type { CancelRequest, ConflictVersion, EventLevel, ItemDetails, HandlerType, ProgressStatus, ResolutionChoice } from '../control/schemas.ts';

export type { CancelRequest, ConflictVersion, EventLevel, HandlerType, ProgressStatus, ResolutionChoice };

/** MAX_SYNCMGR_ID, MAX_SYNCMGR_NAME and MAX_SYNCMGR_PROGRESSTEXT of the seeds. */
export const limits = { id: 64, name: 128, progressText: 260 } as const;

/** SYNCMGR_HANDLER_CAPABILITIES. */
export interface HandlerCapabilities {
  readonly eventStore?: boolean;
  readonly conflictStore?: boolean;
  /** More than one session of this handler may run at once (items never run twice at once). */
  readonly concurrentSessions?: boolean;
  /**
   * Every sync of an item reports all of its conflicts that still hold (the pair handlers re-detect saved
   * conflicts), so after an item syncs without failing the host drops its open conflicts that were not reported
   * again: settled outside Sync Center, or by a drive coming back.
   */
  readonly reportsAllConflicts?: boolean;
  readonly browseContent?: boolean;
  readonly showSchedule?: boolean;
  readonly queryBeforeActivate?: boolean;
  readonly queryBeforeDeactivate?: boolean;
  readonly queryBeforeEnable?: boolean;
  readonly queryBeforeDisable?: boolean;
}

/** SYNCMGR_HANDLER_POLICIES. */
export interface HandlerPolicies {
  readonly preventActivate?: boolean;
  readonly preventDeactivate?: boolean;
  readonly preventEnable?: boolean;
  readonly preventDisable?: boolean;
  readonly preventStartSync?: boolean;
  readonly preventStopSync?: boolean;
  readonly disableEnable?: boolean;
  readonly disableDisable?: boolean;
  readonly disableStartSync?: boolean;
  readonly disableStopSync?: boolean;
  readonly hiddenByDefault?: boolean;
}

/** SYNCMGR_ITEM_CAPABILITIES plus the item policies. */
export interface ItemCapabilities {
  readonly canDelete?: boolean;
  readonly eventStore?: boolean;
  readonly conflictStore?: boolean;
  readonly browseContent?: boolean;
  readonly queryBeforeEnable?: boolean;
  readonly queryBeforeDisable?: boolean;
  readonly queryBeforeDelete?: boolean;
  readonly preventEnable?: boolean;
  readonly preventDisable?: boolean;
  readonly preventStartSync?: boolean;
  readonly preventStopSync?: boolean;
  readonly hiddenByDefault?: boolean;
}

/** SYNCMGR_HANDLER_INFO. */
export interface HandlerInfo {
  readonly type: HandlerType;
  readonly typeLabel: string;
  readonly comment?: string;
  readonly connected?: boolean;
}

/** One sync item as the handler describes it (ISyncMgrSyncItem). */
export interface SyncItem {
  /** ≤ 64 chars of letters, digits, ".", "_", ":" and "-". */
  readonly id: string;
  /** ≤ 128 chars. */
  readonly name: string;
  readonly comment?: string;
  readonly connected?: boolean;
  readonly capabilities?: ItemCapabilities;
  /**
   * Absolute paths of the files or folders this item's data lives in, for "when files change" schedules
   * (folders are watched with their subfolders). Pair handlers that keep `items.json` need not set it.
   */
  readonly watchPaths?: readonly string[];
}

/** What a handler reports for a conflict; the host assigns the id and time. */
export interface ConflictReport {
  readonly itemId: string;
  /** Groups conflicts for "apply to all of this kind". */
  readonly kind: string;
  readonly name: string;
  readonly description?: string;
  readonly versions: readonly ConflictVersion[];
  /** Handler-private data needed to resolve it later (JSON-serializable). */
  readonly data?: unknown;
}

/** A stored conflict handed back to its handler for resolution. */
export interface StoredConflict extends ConflictReport {
  readonly id: string;
  readonly handlerId: string;
  readonly detectedTime: number;
}

/** An event for Sync Results (ISyncMgrEvent). */
export interface EventReport {
  readonly itemId?: string | null;
  readonly level: EventLevel;
  readonly name: string;
  readonly description: string;
  readonly link?: string;
  readonly context?: string;
}

/** See `SyncHandler.describeItem`. */
export type ItemDescription = Partial<Omit<ItemDetails, 'handlerId' | 'itemId' | 'browsable'>>;

/** What ProposeItem announces before the item exists. */
export interface ProposedItem {
  readonly id: string;
  readonly name: string;
  readonly comment?: string;
}

/**
 * ISyncMgrSyncCallback, as the handler sees it inside its worker. Every method is synchronous: the cancel request
 * is read from shared memory, so a handler learns of Stop at its next report.
 */
export interface SyncSession {
  /** Reports an item's progress; returns the pending cancel request. Text is cut to 260 chars. */
  reportProgress(itemId: string, text: string, status: ProgressStatus, current: number, max: number): CancelRequest;
  /** The handler-wide progress text. */
  setHandlerProgressText(text: string): CancelRequest;
  reportEvent(event: EventReport): void;
  /** False once the item (or the whole session) has been asked to stop. */
  canContinue(itemId: string): boolean;
  /** Items of this handler requested after the session started that the handler may take into it. */
  queryForAdditionalItems(): string[];
  /** Takes queued items into this session; the host stops treating them as queued. */
  addItemToSession(itemIds: readonly string[]): void;
  /** Announces an item discovered during sync, before it exists. */
  proposeItem(item: ProposedItem): void;
  /** Confirms a proposed item: the host starts tracking it. */
  commitItem(itemId: string): void;
  reportConflict(conflict: ConflictReport): void;
  /** Marks this session as a manual sync the user started outside Sync Center. */
  reportManualSync(): void;
}

/** Options a setup entry receives from `synccenter add <handler> <args...>`. */
export interface AddItemOptions {
  readonly name?: string;
  readonly exclude: readonly string[];
  /** How the item settles conflicts; handlers without conflict policies ignore it. */
  readonly conflictPolicy?: ConflictPolicy;
}

/** Everything the host gives a handler factory. Both the host thread and each session worker build one. */
export interface HandlerContext {
  /** A directory private to this handler, inside the host's state directory. */
  readonly dataDir: string;
  /** The registration's `options`, as given. */
  readonly options: unknown;
  readonly now: () => number;
}

/**
 * A sync handler (ISyncMgrHandler). One instance lives in the host thread (listing, setup, resolution) and one is
 * built in every session worker, so handler state that both must see lives in `dataDir`, not in memory.
 */
export interface SyncHandler {
  /** ≤ 64 chars, same alphabet as item ids. */
  readonly id: string;
  /** ≤ 128 chars. */
  readonly name: string;
  readonly info: HandlerInfo;
  readonly capabilities?: HandlerCapabilities;
  readonly policies?: HandlerPolicies;
  /** The current items (re-read on every listing). */
  items(): Promise<readonly SyncItem[]> | readonly SyncItem[];
  /** Runs the items; returns when the session is over. Called in the session's worker. */
  synchronize(itemIds: readonly string[], session: SyncSession): Promise<void> | void;
  /** Told when the user activates or deactivates the handler. */
  activate?(active: boolean): Promise<void> | void;
  /** Told when the user enables or disables the handler (no item id) or an item. */
  enable?(enabled: boolean, itemId?: string): Promise<void> | void;
  /** Deletes an item; only called when its capabilities allow it. */
  deleteItem?(itemId: string): Promise<void> | void;
  /** Applies a resolution choice to one of its conflicts; says so when it synced the item to do it. */
  resolveConflict?(conflict: StoredConflict, choice: ResolutionChoice): Promise<ResolveOutcome | void> | ResolveOutcome | void;
  /**
   * What Properties and Browse show of an item: where its data lives, its options and its last session. Fields
   * left out show as none; the host adds the ids and whether it can be browsed.
   */
  describeItem?(itemId: string): Promise<ItemDescription> | ItemDescription;
  /** The setup entry behind "add": creates an item from command-line style arguments. */
  setup?(args: readonly string[], options: AddItemOptions): Promise<SyncItem> | SyncItem;
}

/** What resolving a conflict did besides settling it. */
export interface ResolveOutcome {
  /**
   * The handler synced the conflict's item to apply the choice (both sides agree now): the item ends as after a
   * sync, its state and last sync time, rather than keeping the failure or the conflict it showed before.
   */
  readonly itemSynced: boolean;
}

/** What a handler module exports (under the registration's export name, `createHandler` by default). */
export type HandlerFactory = (context: HandlerContext) => SyncHandler | Promise<SyncHandler>;
