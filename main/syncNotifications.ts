/**
 * Desktop notifications when a sync ends with conflicts or errors — the two outcomes that need the user.
 * A quiet success never notifies.
 */
import type { TFunction } from 'i18next';
import type { SyncEvent } from '../app/control/events.ts';

/** A notification to show, or null for none. */
export interface SyncNotice {
  readonly title: string;
  readonly body: string;
  readonly target: 'conflicts' | 'results';
}

/** Decides what a finished session should tell the user. Conflicts outrank errors: they need a decision. */
export function noticeFor(event: SyncEvent, t: TFunction<'main'>): SyncNotice | null {
  if (event.type !== 'sessionFinished') return null;
  const { conflicts, errors } = event.result;
  if (conflicts > 0) return { title: t('notification.conflictsTitle'), body: t('notification.conflictsBody', { count: conflicts }), target: 'conflicts' };
  const failedItems = event.result.items.filter((item) => item.state === 'failed').length;
  if (errors > 0 || failedItems > 0) {
    return { title: t('notification.errorsTitle'), body: t('notification.errorsBody', { count: Math.max(failedItems, 1) }), target: 'results' };
  }
  return null;
}
