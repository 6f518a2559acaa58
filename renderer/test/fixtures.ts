import type { HandlerSummary, ItemSummary } from '../../app/control/schemas.ts';

/** An item summary with sensible defaults, for tests. */
export function makeItem(overrides: Partial<ItemSummary> = {}): ItemSummary {
  return {
    id: 'item-1',
    handlerId: 'folders',
    name: 'Documents',
    comment: '',
    enabled: true,
    connected: true,
    state: 'idle',
    progress: null,
    lastSyncTime: null,
    errorCount: 0,
    conflictCount: 0,
    ...overrides,
  };
}

/** A handler summary with sensible defaults, for tests. */
export function makeHandler(overrides: Partial<HandlerSummary> = {}): HandlerSummary {
  return {
    id: 'folders',
    name: 'Folders',
    type: 'folder',
    typeLabel: 'Folder pair',
    comment: '',
    enabled: true,
    connected: true,
    active: false,
    state: 'idle',
    progress: null,
    lastSyncTime: null,
    errorCount: 0,
    conflictCount: 0,
    items: [makeItem()],
    ...overrides,
  };
}
