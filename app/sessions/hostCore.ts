/**
 * The host core behind the control API: it joins the handler registry, the session manager and the state stores
 * and enforces handler and item policies. Every method takes an already validated contract request.
 */
import type { CallName, CallRequest, CallResponse } from '../control/contract.ts';
import type { EventBus } from '../control/eventBus.ts';
import { describeIssues, parseInHostLanguage } from '../control/requestIssues.ts';
import { ControlError } from '../control/result.ts';
import { itemDetailsSchema, type CommandPolicy, type HandlerSummary, type ItemSummary, type SyncResult } from '../control/schemas.ts';
import { isValidItemId, type HandlerRegistry, type LoadedHandler } from '../runtime/handlerRegistry.ts';
import { hostText } from '../runtime/hostText.ts';
import type { SyncHandler, SyncItem } from '../runtime/syncHandler.ts';
import { toConflictDto } from '../store/state/conflictStore.ts';
import type { StateStore } from '../store/state/stateStore.ts';
import type { SessionManager, SyncTarget } from './sessionManager.ts';
import { reportSession } from './externalSession.ts';

type CoreCall = Exclude<CallName, 'getHostInfo'>;
type Req<K extends CoreCall> = CallRequest<K>;
type Res<K extends CoreCall> = Promise<CallResponse<K>>;

/** What the core is built from. */
export interface HostCoreDeps {
  readonly registry: HandlerRegistry;
  readonly sessions: SessionManager;
  readonly store: StateStore;
  readonly events: EventBus;
  readonly log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  /** The next scheduled sync of an item, or with null of a handler (any of its schedules); null when none. */
  readonly nextScheduledTime?: (handlerId: string, itemId: string | null) => number | null;
}

/** Browse (SYNCMGR_HCM_BROWSE_CONTENT / SYNCMGR_ICM_BROWSE_CONTENT): the handler or the item says it can show its content. */
function canBrowse(handler: SyncHandler, item: SyncItem): boolean {
  return handler.capabilities?.browseContent === true || item.capabilities?.browseContent === true;
}

/** What a handler's policies let the window offer (prevented or greyed-out commands are not offered). */
function handlerCommands(handler: SyncHandler): CommandPolicy {
  const policies = handler.policies ?? {};
  const capabilities = handler.capabilities ?? {};
  return {
    canSync: policies.preventStartSync !== true && policies.disableStartSync !== true,
    canStop: policies.preventStopSync !== true && policies.disableStopSync !== true,
    canEnable: policies.preventEnable !== true && policies.disableEnable !== true,
    canDisable: policies.preventDisable !== true && policies.disableDisable !== true,
    canDelete: false,
    confirmEnable: capabilities.queryBeforeEnable === true,
    confirmDisable: capabilities.queryBeforeDisable === true,
    confirmDelete: false,
  };
}

/** The same for an item, within what its handler allows; an item committed during a session can always go. */
function itemCommands(handler: SyncHandler, item: SyncItem, committed: boolean): CommandPolicy {
  const own = item.capabilities ?? {};
  const inherited = handlerCommands(handler);
  return {
    canSync: inherited.canSync && own.preventStartSync !== true,
    canStop: inherited.canStop && own.preventStopSync !== true,
    canEnable: own.preventEnable !== true,
    canDisable: own.preventDisable !== true,
    canDelete: own.canDelete === true || committed,
    confirmEnable: own.queryBeforeEnable === true,
    confirmDisable: own.queryBeforeDisable === true,
    confirmDelete: own.queryBeforeDelete === true,
  };
}

/** Creates the core; the facade in app/control maps contract calls onto it one to one. */
export function createHostCore(deps: HostCoreDeps) {
  const { registry, sessions, store, events } = deps;
  const changed = (): void => events.publish({ type: 'handlersChanged' });

  /** The handler's items plus those it committed during sessions, with invalid ids dropped (and logged). */
  async function itemsOf(loaded: LoadedHandler): Promise<SyncItem[]> {
    const own = [...(await loaded.handler.items())];
    const ownIds = new Set(own.map((item) => item.id));
    const committed = store.settings.committedItems(loaded.handler.id).filter((item) => !ownIds.has(item.itemId));
    const all = [...own, ...committed.map((item) => ({ id: item.itemId, name: item.name, comment: item.comment }))];
    return all.filter((item) => {
      if (isValidItemId(item.id)) return true;
      deps.log('warn', `handler ${loaded.handler.id} lists an item with an invalid id; it is ignored`);
      return false;
    });
  }

  function committedIds(handlerId: string): ReadonlySet<string> {
    return new Set(store.settings.committedItems(handlerId).map((entry) => entry.itemId));
  }

  async function findItem(handlerId: string, itemId: string): Promise<{ loaded: LoadedHandler; item: SyncItem }> {
    const loaded = registry.get(handlerId);
    const item = (await itemsOf(loaded)).find((candidate) => candidate.id === itemId);
    if (item === undefined) throw new ControlError('NOT_FOUND', hostText()('error.noItem', { handlerId, itemId }));
    return { loaded, item };
  }

  /** `committed`: ids of the items the handler committed during sessions (read once per list, not per item). */
  function itemSummary(handler: SyncHandler, item: SyncItem, committed: ReadonlySet<string> = committedIds(handler.id)): ItemSummary {
    const handlerId = handler.id;
    const settings = store.settings.item(handlerId, item.id);
    const live = sessions.itemState(handlerId, item.id);
    const connected = item.connected !== false;
    return {
      id: item.id,
      handlerId,
      name: item.name.slice(0, 128) || item.id,
      comment: (item.comment ?? '').slice(0, 1024),
      enabled: settings.enabled,
      connected,
      state: live?.state ?? (connected ? (settings.lastState ?? 'idle') : 'disconnected'),
      progress: live?.progress ?? null,
      lastSyncTime: settings.lastSyncTime,
      errorCount: settings.lastErrors,
      conflictCount: store.conflicts.count(handlerId, item.id),
      nextScheduledTime: deps.nextScheduledTime?.(handlerId, item.id) ?? null,
      browsable: canBrowse(handler, item),
      commands: itemCommands(handler, item, committed.has(item.id)),
    };
  }

  async function handlerSummary(loaded: LoadedHandler): Promise<HandlerSummary> {
    const { handler } = loaded;
    const settings = store.settings.handler(handler.id);
    const committed = committedIds(handler.id);
    const items = (await itemsOf(loaded)).map((item) => itemSummary(handler, item, committed));
    const live = sessions.handlerState(handler.id);
    const times = items.map((item) => item.lastSyncTime).filter((time) => time !== null);
    return {
      id: handler.id,
      name: handler.name,
      type: handler.info.type,
      typeLabel: handler.info.typeLabel.slice(0, 128),
      comment: (handler.info.comment ?? '').slice(0, 1024),
      enabled: settings.enabled,
      connected: handler.info.connected !== false,
      active: settings.active,
      state: live?.state ?? aggregateState(items),
      progress: live?.progress ?? null,
      lastSyncTime: times.length > 0 ? Math.max(...times) : null,
      errorCount: items.reduce((sum, item) => sum + item.errorCount, 0),
      conflictCount: store.conflicts.count(handler.id),
      nextScheduledTime: deps.nextScheduledTime?.(handler.id, null) ?? null,
      commands: handlerCommands(handler),
      items,
    };
  }

  /** The enabled, connected items of a handler that may sync now. */
  async function runnableItems(loaded: LoadedHandler): Promise<string[]> {
    const items = await itemsOf(loaded);
    return items
      .filter((item) => item.connected !== false && item.capabilities?.preventStartSync !== true)
      .filter((item) => store.settings.item(loaded.handler.id, item.id).enabled)
      .map((item) => item.id);
  }

  function assertCanStart(loaded: LoadedHandler): void {
    const settings = store.settings.handler(loaded.handler.id);
    if (!settings.enabled) throw new ControlError('BAD_STATE', hostText()('error.handlerDisabled', { handlerId: loaded.handler.id }));
    if (loaded.handler.policies?.preventStartSync === true) throw new ControlError('BAD_STATE', hostText()('error.handlerPreventsStart', { handlerId: loaded.handler.id }));
  }

  const start = (targets: SyncTarget[], ignore: boolean | undefined): Promise<SyncResult> => sessions.start(targets, ignore === true);

  return {
    listHandlers: async (): Promise<HandlerSummary[]> => Promise.all(registry.list().map(handlerSummary)),

    async startHandlerSync(request: Req<'startHandlerSync'>): Res<'startHandlerSync'> {
      const loaded = registry.get(request.handlerId);
      assertCanStart(loaded);
      return start([{ handlerId: request.handlerId, itemIds: await runnableItems(loaded) }], request.ignoreIfAlreadySyncing);
    },

    async startItemSync(request: Req<'startItemSync'>): Res<'startItemSync'> {
      const loaded = registry.get(request.handlerId);
      assertCanStart(loaded);
      for (const itemId of request.itemIds) {
        const { item } = await findItem(request.handlerId, itemId);
        if (!store.settings.item(request.handlerId, itemId).enabled) throw new ControlError('BAD_STATE', hostText()('error.itemDisabled', { itemId }));
        if (item.capabilities?.preventStartSync === true) throw new ControlError('BAD_STATE', hostText()('error.itemPreventsStart', { itemId }));
      }
      return start([{ handlerId: request.handlerId, itemIds: request.itemIds }], request.ignoreIfAlreadySyncing);
    },

    async startSyncAll(request: Req<'startSyncAll'>): Res<'startSyncAll'> {
      const targets: SyncTarget[] = [];
      for (const loaded of registry.list()) {
        const settings = store.settings.handler(loaded.handler.id);
        if (!settings.enabled || !settings.active || loaded.handler.info.connected === false) continue;
        if (loaded.handler.policies?.preventStartSync === true) continue;
        targets.push({ handlerId: loaded.handler.id, itemIds: await runnableItems(loaded) });
      }
      return start(targets, request.ignoreIfAlreadySyncing);
    },

    async stopHandlerSync(request: Req<'stopHandlerSync'>): Res<'stopHandlerSync'> {
      const loaded = registry.get(request.handlerId);
      if (loaded.handler.policies?.preventStopSync === true) throw new ControlError('BAD_STATE', hostText()('error.handlerPreventsStop', { handlerId: request.handlerId }));
      sessions.stopHandler(request.handlerId);
      return {};
    },

    async stopItemSync(request: Req<'stopItemSync'>): Res<'stopItemSync'> {
      const loaded = registry.get(request.handlerId);
      if (loaded.handler.policies?.preventStopSync === true) throw new ControlError('BAD_STATE', hostText()('error.handlerPreventsStop', { handlerId: request.handlerId }));
      const prevented = (await itemsOf(loaded)).find((item) => request.itemIds.includes(item.id) && item.capabilities?.preventStopSync === true);
      if (prevented !== undefined) throw new ControlError('BAD_STATE', hostText()('error.itemPreventsStop', { itemId: prevented.id }));
      sessions.stopItems(request.handlerId, request.itemIds);
      return {};
    },

    async setHostLanguage(request: Req<'setHostLanguage'>): Res<'setHostLanguage'> {
      // hostText() reads it at each call, and each session hands it to its worker (`SessionStart.language`).
      process.env.SYNCCENTER_LANG = request.language;
      return {};
    },

    async stopSyncAll(): Res<'stopSyncAll'> {
      sessions.stopAll();
      return {};
    },

    async enableHandler(request: Req<'enableHandler'>): Res<'enableHandler'> {
      const { handler } = registry.get(request.handlerId);
      const prevented = request.enabled ? handler.policies?.preventEnable : handler.policies?.preventDisable;
      if (prevented === true) throw new ControlError('BAD_STATE', hostText()('error.handlerPrevents', { handlerId: handler.id }));
      await handler.enable?.(request.enabled);
      store.settings.setHandler(handler.id, { enabled: request.enabled });
      changed();
      return {};
    },

    async enableItem(request: Req<'enableItem'>): Res<'enableItem'> {
      const { loaded, item } = await findItem(request.handlerId, request.itemId);
      const prevented = request.enabled ? item.capabilities?.preventEnable : item.capabilities?.preventDisable;
      if (prevented === true) throw new ControlError('BAD_STATE', hostText()('error.itemPrevents', { itemId: item.id }));
      await loaded.handler.enable?.(request.enabled, item.id);
      store.settings.setItemEnabled(request.handlerId, item.id, request.enabled);
      changed();
      return {};
    },

    async activateHandler(request: Req<'activateHandler'>): Res<'activateHandler'> {
      const { handler } = registry.get(request.handlerId);
      const prevented = request.active ? handler.policies?.preventActivate : handler.policies?.preventDeactivate;
      if (prevented === true) throw new ControlError('BAD_STATE', hostText()('error.handlerPrevents', { handlerId: handler.id }));
      await handler.activate?.(request.active);
      store.settings.setHandler(handler.id, { active: request.active });
      changed();
      return {};
    },

    async deleteItem(request: Req<'deleteItem'>): Res<'deleteItem'> {
      const { loaded, item } = await findItem(request.handlerId, request.itemId);
      const committed = store.settings.committedItems(request.handlerId).some((entry) => entry.itemId === item.id);
      if (item.capabilities?.canDelete !== true && !committed) throw new ControlError('BAD_STATE', hostText()('error.itemNotDeletable', { itemId: item.id }));
      if (sessions.itemState(request.handlerId, item.id)?.state === 'updating') throw new ControlError('BUSY', hostText()('error.itemSyncing', { itemId: item.id }));
      if (item.capabilities?.canDelete === true) await loaded.handler.deleteItem?.(item.id);
      store.settings.forgetItem(request.handlerId, item.id);
      store.events.removeForItem(request.handlerId, item.id);
      const conflictIds = store.conflicts.removeForItem(request.handlerId, item.id);
      if (conflictIds.length > 0) events.publish({ type: 'conflictsResolved', ids: conflictIds });
      changed();
      return {};
    },

    async addItem(request: Req<'addItem'>): Res<'addItem'> {
      const { handler } = registry.get(request.handlerId);
      if (handler.setup === undefined) throw new ControlError('NOT_SUPPORTED', hostText()('error.cannotAddItems', { handlerId: handler.id }));
      const item = await handler.setup(request.args, { name: request.name, exclude: request.exclude ?? [], conflictPolicy: request.conflictPolicy });
      if (!isValidItemId(item.id)) throw new ControlError('BAD_HANDLER', hostText()('error.createdInvalidId', { handlerId: handler.id }));
      changed();
      return itemSummary(handler, item);
    },

    async getItemDetails(request: Req<'getItemDetails'>): Res<'getItemDetails'> {
      const { loaded, item } = await findItem(request.handlerId, request.itemId);
      const described = (await loaded.handler.describeItem?.(item.id)) ?? {};
      const locations = described.locations ?? [];
      const details = parseInHostLanguage(itemDetailsSchema, {
        handlerId: request.handlerId,
        itemId: item.id,
        browsable: canBrowse(loaded.handler, item) && locations.length > 0,
        locations,
        conflictPolicy: described.conflictPolicy ?? null,
        exclude: described.exclude ?? [],
        lastSession: described.lastSession ?? null,
      });
      if (!details.success) throw new ControlError('BAD_HANDLER', hostText()('error.describedWrongly', { handlerId: request.handlerId, itemId: item.id, issues: describeIssues(details.error) }));
      return details.data;
    },

    listEvents: async (request: Req<'listEvents'>): Res<'listEvents'> => store.events.list(request),

    async removeEvents(request: Req<'removeEvents'>): Res<'removeEvents'> {
      const ids = request.ids ?? store.events.list({ limit: 10_000 }).map((event) => event.id);
      const removed = request.ids === undefined ? store.events.remove() : store.events.remove(ids);
      events.publish({ type: 'eventsRemoved', ids });
      return { removed };
    },

    listConflicts: async (request: Req<'listConflicts'>): Res<'listConflicts'> => store.conflicts.list(request).map(toConflictDto),

    async resolveConflict(request: Req<'resolveConflict'>): Res<'resolveConflict'> {
      const conflict = store.conflicts.get(request.conflictId);
      if (conflict === undefined) throw new ControlError('NOT_FOUND', hostText()('error.noConflict', { conflictId: request.conflictId }));
      const { handler } = registry.get(conflict.handlerId);
      if (handler.resolveConflict === undefined && request.choice !== 'skip') {
        throw new ControlError('NOT_SUPPORTED', hostText()('error.cannotResolve', { handlerId: handler.id }));
      }
      const targets = request.applyToAllOfKind === true ? store.conflicts.list({ handlerId: conflict.handlerId, kind: conflict.kind }) : [conflict];
      const resolved: string[] = [];
      const synced = new Set<string>();
      try {
        for (const target of targets) {
          const outcome = await handler.resolveConflict?.(target, request.choice);
          store.conflicts.remove([target.id]);
          resolved.push(target.id);
          if (outcome?.itemSynced === true) synced.add(target.itemId);
        }
      } finally {
        // An item the resolution synced shows how that sync left it, not the failure or conflict it showed before.
        for (const itemId of synced) sessions.settleSyncedOutside(conflict.handlerId, itemId, store.conflicts.count(conflict.handlerId, itemId));
        // Reflect what was resolved even when a later one failed.
        if (resolved.length > 0) events.publish({ type: 'conflictsResolved', ids: resolved });
        if (resolved.length > 0) changed();
      }
      return { resolved };
    },

    async removeConflicts(request: Req<'removeConflicts'>): Res<'removeConflicts'> {
      const removed = store.conflicts.remove(request.ids);
      events.publish({ type: 'conflictsResolved', ids: [...request.ids] });
      changed();
      return { removed };
    },

    reportSession: async (request: Req<'reportSession'>): Res<'reportSession'> => reportSession(registry, sessions, request),
  };
}

/** The host core's type, as the control facade sees it. */
export type HostCoreCalls = ReturnType<typeof createHostCore>;

/** A handler's state when idle: the worst of its items' last outcomes. */
function aggregateState(items: readonly ItemSummary[]): HandlerSummary['state'] {
  const order: HandlerSummary['state'][] = ['updating', 'updatingIndeterminate', 'queued', 'failed', 'conflict', 'disconnected', 'canceled', 'succeeded'];
  return order.find((state) => items.some((item) => item.state === state)) ?? 'idle';
}
