import { describe, expect, it } from 'vitest';
import type { HandlerSummary, ItemSummary, SyncState } from '../app/control/schemas.ts';
import { createMainI18n } from './i18n.ts';
import { summarizeForTray } from './trayState.ts';

function item(state: SyncState): ItemSummary {
  return { id: 'i', handlerId: 'h', name: 'Item', comment: '', enabled: true, connected: true, state, progress: null, lastSyncTime: null, errorCount: 0, conflictCount: 0 };
}

function handler(state: SyncState, counts: { errors?: number; conflicts?: number } = {}, items: ItemSummary[] = []): HandlerSummary {
  return {
    id: 'h', name: 'Handler', type: 'folder', typeLabel: 'Folders', comment: '', enabled: true, connected: true, active: true, state,
    progress: null, lastSyncTime: null, errorCount: counts.errors ?? 0, conflictCount: counts.conflicts ?? 0, items,
  };
}

describe('tray state', () => {
  it('is idle with nothing to report', () => {
    expect(summarizeForTray([])).toEqual({ state: 'idle', conflicts: 0, errors: 0 });
    expect(summarizeForTray([handler('succeeded')]).state).toBe('idle');
  });

  it('ranks syncing over conflicts over errors', () => {
    expect(summarizeForTray([handler('failed', { errors: 2 })]).state).toBe('errors');
    expect(summarizeForTray([handler('failed', { errors: 2 }), handler('conflict', { conflicts: 1 })])).toEqual({ state: 'conflicts', conflicts: 1, errors: 2 });
    expect(summarizeForTray([handler('conflict', { conflicts: 1 }), handler('succeeded', {}, [item('updating')])]).state).toBe('syncing');
    expect(summarizeForTray([handler('queued')]).state).toBe('syncing');
  });
});

describe('main-process strings', () => {
  it('follow the system language, in English and French, with plurals', async () => {
    const english = await createMainI18n('en-US');
    const french = await createMainI18n('fr-CA');
    expect(english.t('tray.syncAll')).toBe('Sync All');
    expect(french.t('tray.syncAll')).toBe('Tout synchroniser');
    expect(english.t('tray.tooltip.conflicts', { count: 2 })).toBe('Sync Center: 2 conflicts need your decision');
    expect(french.t('tray.tooltip.conflicts', { count: 1 })).toContain('1 conflit attend');
    expect((await createMainI18n('de-DE')).t('tray.quit')).toBe('Quit');
  });

  it('have the same keys in every language', async () => {
    const { mainResources } = await import('./i18n.ts');
    const keys = (value: unknown, prefix = ''): string[] =>
      typeof value === 'object' && value !== null ? Object.entries(value).flatMap(([key, inner]) => keys(inner, `${prefix}${key}.`)) : [prefix];
    expect(keys(mainResources.fr.main).sort()).toEqual(keys(mainResources.en.main).sort());
  });
});
