import type { HandlerSummary, HandlerType, ItemSummary, Progress } from '../../../app/control/schemas.ts';
import type { IconName } from '../../components/Icon.tsx';
import type { Selection } from '../../store/uiSlice.ts';
import { displayStatus, isActive, type DisplayStatus } from './displayStatus.ts';

/** One row of the partnerships or items grid, already folded for display. */
export interface SyncRow {
  /** Unique within the grid; handler id, or `handlerId/itemId`. */
  readonly key: string;
  readonly handlerId: string;
  readonly itemId: string | null;
  readonly name: string;
  /** The second line under the name: the host's type label (translated when shown) or the item's comment. */
  readonly detail: string;
  readonly handlerType: HandlerType;
  readonly icon: IconName;
  readonly status: DisplayStatus;
  readonly active: boolean;
  readonly progress: Progress | null;
  readonly lastSyncTime: number | null;
  /** When a schedule syncs it next; null when none is timed. */
  readonly nextScheduledTime: number | null;
  readonly errorCount: number;
  readonly conflictCount: number;
  /** Items of a handler row, for the "n items" hint; null on item rows. */
  readonly itemCount: number | null;
}

const typeIcons: Record<HandlerType, IconName> = { folder: 'folder', device: 'device', application: 'application', service: 'service', computer: 'computer' };

/** The icon of a handler type. */
export function handlerIcon(type: HandlerType): IconName {
  return typeIcons[type];
}

/** The row of a handler in the Sync partnerships list. */
export function handlerRow(handler: HandlerSummary): SyncRow {
  return {
    key: handler.id,
    handlerId: handler.id,
    itemId: null,
    name: handler.name,
    detail: handler.typeLabel,
    handlerType: handler.type,
    icon: handlerIcon(handler.type),
    status: displayStatus(handler),
    active: isActive(handler),
    progress: handler.progress,
    lastSyncTime: handler.lastSyncTime,
    nextScheduledTime: handler.nextScheduledTime ?? null,
    errorCount: handler.errorCount,
    conflictCount: handler.conflictCount,
    itemCount: handler.items.length,
  };
}

/** The row of an item in an opened handler. */
export function itemRow(handler: HandlerSummary, item: ItemSummary): SyncRow {
  return {
    key: `${handler.id}/${item.id}`,
    handlerId: handler.id,
    itemId: item.id,
    name: item.name,
    detail: item.comment,
    handlerType: handler.type,
    icon: handlerIcon(handler.type),
    status: displayStatus(item),
    active: isActive(item),
    progress: item.progress,
    lastSyncTime: item.lastSyncTime,
    nextScheduledTime: item.nextScheduledTime ?? null,
    errorCount: item.errorCount,
    conflictCount: item.conflictCount,
    itemCount: null,
  };
}

/** Whether a row is the selected one. */
export function isSelectedRow(row: SyncRow, selection: Selection): boolean {
  return selection !== null && selection.handlerId === row.handlerId && selection.itemId === row.itemId;
}
