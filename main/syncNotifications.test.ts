import { describe, expect, it } from 'vitest';
import type { SyncEvent } from '../app/control/events.ts';
import { createMainI18n } from './i18n.ts';
import { noticeFor } from './syncNotifications.ts';

function finished(result: { status: 'succeeded' | 'failed' | 'canceled'; errors: number; conflicts: number; failedItems?: number }): SyncEvent {
  const items = Array.from({ length: result.failedItems ?? 0 }, (_, index) => ({ handlerId: 'h', itemId: `i${index}`, state: 'failed' as const, errors: 1, conflicts: 0 }));
  return { type: 'sessionFinished', sessionId: 's', handlerId: 'h', manual: false, result: { status: result.status, errors: result.errors, conflicts: result.conflicts, items } };
}

describe('sync notifications', () => {
  it('stay quiet on success and on other events', async () => {
    const { t } = await createMainI18n('en');
    expect(noticeFor(finished({ status: 'succeeded', errors: 0, conflicts: 0 }), t)).toBeNull();
    expect(noticeFor({ type: 'handlersChanged' }, t)).toBeNull();
  });

  it('announce conflicts first, pointing to Sync conflicts', async () => {
    const { t } = await createMainI18n('en');
    expect(noticeFor(finished({ status: 'failed', errors: 1, conflicts: 2, failedItems: 1 }), t)).toEqual({
      title: 'Sync finished with conflicts',
      body: '2 conflicts need your decision. Open Sync conflicts to choose which versions to keep.',
      target: 'conflicts',
    });
  });

  it('announce errors in French, pointing to Sync results', async () => {
    const { t } = await createMainI18n('fr-FR');
    const notice = noticeFor(finished({ status: 'failed', errors: 3, conflicts: 0, failedItems: 1 }), t);
    expect(notice?.target).toBe('results');
    expect(notice?.title).toBe('Synchronisation terminée avec des erreurs');
    expect(notice?.body).toContain('1 élément');
  });
});
