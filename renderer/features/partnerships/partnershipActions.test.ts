import { describe, expect, it } from 'vitest';
import { makeHandler, makeItem } from '../../test/fixtures.ts';
import { displayStatus } from './displayStatus.ts';
import { applicableActions, confirmationFor, enabledActions, resolveTarget } from './partnershipActions.ts';

describe('displayStatus', () => {
  it('folds state, flags and counts in priority order', () => {
    expect(displayStatus(makeItem({ enabled: false, state: 'updating' }))).toBe('disabled');
    expect(displayStatus(makeItem({ connected: false }))).toBe('disconnected');
    expect(displayStatus(makeItem({ state: 'updatingIndeterminate', conflictCount: 2 }))).toBe('syncing');
    expect(displayStatus(makeItem({ state: 'queued' }))).toBe('queued');
    expect(displayStatus(makeItem({ state: 'succeeded', conflictCount: 1, errorCount: 1 }))).toBe('conflicts');
    expect(displayStatus(makeItem({ state: 'failed' }))).toBe('attention');
    expect(displayStatus(makeItem({ state: 'canceled' }))).toBe('canceled');
    expect(displayStatus(makeItem({ state: 'idle', lastSyncTime: 5 }))).toBe('synced');
    expect(displayStatus(makeItem())).toBe('notSynced');
  });
});

describe('toolbar actions', () => {
  it('offers Sync All only when something can sync, and Stop All only when something runs', () => {
    expect(applicableActions([], null)).toMatchObject({ syncAll: false, stopAll: false, properties: false });
    const idle = [makeHandler()];
    expect(applicableActions(idle, null)).toMatchObject({ syncAll: true, stopAll: false });
    const running = [makeHandler({ state: 'updating', items: [makeItem({ state: 'updating' })] })];
    expect(applicableActions(running, null)).toMatchObject({ syncAll: false, stopAll: true });
  });

  it('enables selection commands by the selection state', () => {
    const handlers = [makeHandler({ items: [makeItem({ id: 'a', browsable: true }), makeItem({ id: 'b', state: 'updating' }), makeItem({ id: 'c', enabled: false, browsable: true })] })];
    const idleItem = applicableActions(handlers, resolveTarget(handlers, { handlerId: 'folders', itemId: 'a' }));
    expect(idleItem).toMatchObject({ sync: true, stop: false, enable: false, disable: true, delete: true, properties: true, browse: true });
    const busyItem = applicableActions(handlers, resolveTarget(handlers, { handlerId: 'folders', itemId: 'b' }));
    expect(busyItem).toMatchObject({ sync: false, stop: true, disable: false, delete: false });
    const disabledItem = applicableActions(handlers, resolveTarget(handlers, { handlerId: 'folders', itemId: 'c' }));
    expect(disabledItem).toMatchObject({ sync: false, enable: true, disable: false, browse: false });
    const handler = applicableActions(handlers, resolveTarget(handlers, { handlerId: 'folders', itemId: null }));
    expect(handler).toMatchObject({ sync: true, delete: false, browse: false });
  });

  it('Browse is offered only for an item that can show where it lives; Schedule opens the editor', () => {
    const handlers = [makeHandler()];
    const enabled = enabledActions(handlers, resolveTarget(handlers, { handlerId: 'folders', itemId: 'item-1' }));
    expect(enabled).toMatchObject({ syncAll: true, sync: true, properties: true, browse: false, schedule: true });
    const browsable = [makeHandler({ items: [makeItem({ id: 'item-1', browsable: true })] })];
    expect(enabledActions(browsable, resolveTarget(browsable, { handlerId: 'folders', itemId: 'item-1' }))).toMatchObject({ browse: true });
  });

  it('follows the policies the host sends: prevented commands are greyed out, a host without them allows all', () => {
    const locked = { canSync: false, canStop: false, canEnable: true, canDisable: false, canDelete: false, confirmEnable: false, confirmDisable: false, confirmDelete: false };
    const handlers = [makeHandler({ items: [makeItem({ id: 'a', commands: locked }), makeItem({ id: 'b', state: 'updating', commands: locked })] })];
    expect(applicableActions(handlers, resolveTarget(handlers, { handlerId: 'folders', itemId: 'a' }))).toMatchObject({ sync: false, disable: false, delete: false, properties: true });
    expect(applicableActions(handlers, resolveTarget(handlers, { handlerId: 'folders', itemId: 'b' }))).toMatchObject({ stop: false });
    const noSync = [makeHandler({ commands: { ...locked, canSync: false } })];
    expect(applicableActions(noSync, null)).toMatchObject({ syncAll: false });
  });

  it('asks first only for the commands the entry wants confirmed', () => {
    const asks = { canSync: true, canStop: true, canEnable: true, canDisable: true, canDelete: true, confirmEnable: false, confirmDisable: true, confirmDelete: true };
    const handlers = [makeHandler({ items: [makeItem({ id: 'a', commands: asks }), makeItem({ id: 'plain' })] })];
    const target = resolveTarget(handlers, { handlerId: 'folders', itemId: 'a' });
    expect(['sync', 'enable', 'disable', 'delete', 'properties'].map((action) => confirmationFor(action as never, target))).toEqual([null, null, 'disable', 'delete', null]);
    expect(confirmationFor('delete', resolveTarget(handlers, { handlerId: 'folders', itemId: 'plain' }))).toBeNull();
    expect(confirmationFor('delete', null)).toBeNull();
  });

  it('drops a selection that no longer exists', () => {
    expect(resolveTarget([makeHandler()], { handlerId: 'gone', itemId: null })).toBeNull();
    expect(resolveTarget([makeHandler()], { handlerId: 'folders', itemId: 'gone' })).toBeNull();
  });
});
