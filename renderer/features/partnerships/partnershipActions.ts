import type { ControlApi } from '../../../app/control/contract.ts';
import type { HandlerSummary, ItemSummary } from '../../../app/control/schemas.ts';
import type { Selection } from '../../store/uiSlice.ts';
import { isActive } from './displayStatus.ts';

/** Every toolbar command, in toolbar order. Names double as i18n keys under `actions.`. */
export const toolbarActions = ['syncAll', 'stopAll', 'sync', 'stop', 'enable', 'disable', 'browse', 'schedule', 'properties', 'delete'] as const;
export type ToolbarAction = (typeof toolbarActions)[number];

/** The handler and, when an item is selected, the item a command applies to. */
export interface ActionTarget {
  readonly handler: HandlerSummary;
  readonly item: ItemSummary | null;
}

/** Finds what the selection points at in the current list, or null if it went away. */
export function resolveTarget(handlers: readonly HandlerSummary[], selection: Selection): ActionTarget | null {
  if (selection === null) return null;
  const handler = handlers.find((candidate) => candidate.id === selection.handlerId);
  if (handler === undefined) return null;
  if (selection.itemId === null) return { handler, item: null };
  const item = handler.items.find((candidate) => candidate.id === selection.itemId);
  return item === undefined ? null : { handler, item };
}

/**
 * The host calls behind each command. Only commands whose call exists in the contract are listed; the others
 * stay greyed out, so the toolbar never offers something the host cannot do. Adding a call to the contract and
 * a line here is all it takes to light a button up. Properties, Schedule and Browse are local: they open dialogs.
 */
export const actionCalls: Partial<Record<ToolbarAction, (api: ControlApi, target: ActionTarget | null) => Promise<unknown>>> = {
  // Starts resolve when the sync ends; the window follows progress through events, so nobody awaits them.
  syncAll: (api) => api.startSyncAll({ ignoreIfAlreadySyncing: true }),
  stopAll: (api) => api.stopSyncAll({}),
  sync: (api, target) => onTarget(target, (handlerId, itemId) =>
    itemId === null ? api.startHandlerSync({ handlerId, ignoreIfAlreadySyncing: true }) : api.startItemSync({ handlerId, itemIds: [itemId], ignoreIfAlreadySyncing: true })),
  stop: (api, target) => onTarget(target, (handlerId, itemId) => (itemId === null ? api.stopHandlerSync({ handlerId }) : api.stopItemSync({ handlerId, itemIds: [itemId] }))),
  enable: (api, target) => setEnabled(api, target, true),
  disable: (api, target) => setEnabled(api, target, false),
  delete: (api, target) => onTarget(target, (handlerId, itemId) => (itemId === null ? Promise.resolve() : api.deleteItem({ handlerId, itemId }))),
};

function onTarget(target: ActionTarget | null, run: (handlerId: string, itemId: string | null) => Promise<unknown>): Promise<unknown> {
  if (target === null) return Promise.resolve();
  return run(target.handler.id, target.item?.id ?? null);
}

function setEnabled(api: ControlApi, target: ActionTarget | null, enabled: boolean): Promise<unknown> {
  return onTarget(target, (handlerId, itemId) => (itemId === null ? api.enableHandler({ handlerId, enabled }) : api.enableItem({ handlerId, itemId, enabled })));
}

/** Commands the window handles by opening a dialog (which then asks the host what it needs). */
const localActions: ReadonlySet<ToolbarAction> = new Set(['properties', 'schedule', 'browse']);

/** Whether a command is wired to something at all. */
export function isImplemented(action: ToolbarAction): boolean {
  return localActions.has(action) || actionCalls[action] !== undefined;
}

/**
 * Which commands make sense right now, before asking whether they are implemented: Sync All needs something idle
 * to sync, Stop All something running; the rest need a selection in the right state.
 */
export function applicableActions(handlers: readonly HandlerSummary[], target: ActionTarget | null): Record<ToolbarAction, boolean> {
  const syncable = handlers.some((handler) => handler.enabled && handler.connected && !isActive(handler) && allows(handler, 'canSync'));
  const running = handlers.some((handler) => isActive(handler) || handler.items.some(isActive));
  const entry = target === null ? null : (target.item ?? target.handler);
  const ready = entry !== null && entry.enabled && entry.connected;
  return {
    syncAll: syncable,
    stopAll: running,
    sync: ready && !isActive(entry) && allows(entry, 'canSync'),
    stop: entry !== null && isActive(entry) && allows(entry, 'canStop'),
    enable: entry !== null && !entry.enabled && allows(entry, 'canEnable'),
    disable: entry !== null && entry.enabled && !isActive(entry) && allows(entry, 'canDisable'),
    browse: target?.item?.browsable === true && ready,
    schedule: entry !== null,
    properties: entry !== null,
    delete: target?.item != null && !isActive(target.item) && allows(target.item, 'canDelete'),
  };
}

/** Whether the entry's policies allow a command; a host that sends no policies allows everything. */
export function allows(entry: HandlerSummary | ItemSummary, command: 'canSync' | 'canStop' | 'canEnable' | 'canDisable' | 'canDelete'): boolean {
  return entry.commands?.[command] !== false;
}

/** Commands an entry wants the user to confirm first (SYNCMGR_*_QUERY_BEFORE_*). */
export type ConfirmedAction = 'enable' | 'disable' | 'delete';

/** The command to confirm before running `action` on `target`, or null when it runs at once. */
export function confirmationFor(action: ToolbarAction, target: ActionTarget | null): ConfirmedAction | null {
  if (target === null || (action !== 'enable' && action !== 'disable' && action !== 'delete')) return null;
  const commands = (target.item ?? target.handler).commands;
  const asks = { enable: commands?.confirmEnable, disable: commands?.confirmDisable, delete: commands?.confirmDelete }[action];
  return asks === true ? action : null;
}

/** The final enabled state of each toolbar button. */
export function enabledActions(handlers: readonly HandlerSummary[], target: ActionTarget | null): Record<ToolbarAction, boolean> {
  const applicable = applicableActions(handlers, target);
  const result = { ...applicable };
  for (const action of toolbarActions) result[action] = applicable[action] && isImplemented(action);
  return result;
}
