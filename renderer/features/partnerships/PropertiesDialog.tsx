import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { DialogHeader } from '../../components/DialogHeader.tsx';
import type { ItemDetails } from '../../../app/control/schemas.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { formatCount, formatDuration, formatFullDateTime } from '../../i18n/format.ts';
import { handlerTypeLabel } from '../../i18n/handlerTypeLabel.ts';
import { itemKey } from '../../store/handlerIndex.ts';
import type { LastResult } from '../../store/lastResults.ts';
import { useAppStore } from '../../store/store.ts';
import { displayStatus } from './displayStatus.ts';
import type { ActionTarget } from './partnershipActions.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { sideLabelKey, useItemDetails } from './useItemDetails.ts';
import { useTargetDialog } from './useTargetDialog.ts';
import { handlerIcon } from './syncRows.ts';

type Rows = readonly (readonly [string, string])[];

/**
 * Properties of the selected handler or item: what it is, its options, and statistics of the last session. It
 * follows the live store, so a sync finishing while it is open updates it.
 */
export function PropertiesDialog({ onClose }: { readonly onClose: () => void }) {
  const { dialog, target } = useTargetDialog(onClose);
  const lastResult = useAppStore((state) => {
    const selection = state.selection;
    if (selection === null) return undefined;
    return state.lastResults.get(selection.itemId === null ? selection.handlerId : itemKey(selection.handlerId, selection.itemId));
  });
  if (target === null) return null;

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="properties-title" onClose={onClose}>
      <PropertiesContent target={target} lastResult={lastResult} />
      <form method="dialog" className="dialog-actions">
        <button type="submit" className="button primary" autoFocus>
          <CloseLabel />
        </button>
      </form>
    </dialog>
  );
}

function CloseLabel() {
  const { t } = useTranslation();
  return <>{t('common.close')}</>;
}

function PropertiesContent({ target, lastResult }: { readonly target: ActionTarget; readonly lastResult: LastResult | undefined }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const entry = target.item ?? target.handler;
  // An item's locations, options and recorded last session come from its handler; re-read when a sync ends.
  const details = useItemDetails(useApi(), target.handler.id, target.item?.id ?? null, target.item?.lastSyncTime);
  const described = details?.status === 'ready' ? details.details : null;
  const yesNo = (value: boolean): string => (value ? t('common.yes') : t('common.no'));
  const general: [string, string][] = [
    [t('properties.kind'), target.item === null ? handlerTypeLabel(target.handler, t) : t('properties.itemOf', { name: target.handler.name })],
    [t('properties.description'), entry.comment.length > 0 ? entry.comment : '—'],
    [t('properties.identifier'), entry.id],
  ];
  if (target.item === null) general.splice(1, 0, [t('properties.items'), formatCount(target.handler.items.length, language)]);
  const options: Rows = [
    ...(described === null ? [] : itemOptionRows(described, target.handler.id, t)),
    [t('properties.enabled'), yesNo(entry.enabled)],
    [t('properties.connected'), yesNo(entry.connected)],
    ...(target.item === null ? [[t('properties.active'), yesNo(target.handler.active)] as const] : []),
  ];
  const statistics: Rows = [
    [t('properties.lastSync'), entry.lastSyncTime === null ? t('partnerships.never') : formatFullDateTime(entry.lastSyncTime, language)],
    [t('properties.nextSync'), entry.nextScheduledTime == null ? t('properties.noNextSync') : formatFullDateTime(entry.nextScheduledTime, language)],
    [t('properties.errors'), formatCount(entry.errorCount, language)],
    [t('properties.conflicts'), formatCount(entry.conflictCount, language)],
    ...(described?.lastSession != null ? lastSessionRows(described, t, language) : lastResultRows(lastResult, t, language)),
  ];

  return (
    <>
      <DialogHeader icon={handlerIcon(target.handler.type)} titleId="properties-title" title={t('properties.title', { name: entry.name })}>
        <StatusBadge status={displayStatus(entry)} />
      </DialogHeader>
      <div className="dialog-scroll">
        {details?.status === 'failed' && (
          <p className="field-error properties-error" role="alert">
            {t('properties.detailsFailed', { message: details.message })}
          </p>
        )}
        <PropertySection title={t('properties.general')} rows={general} />
        <PropertySection title={t('properties.options')} rows={options} />
        <PropertySection title={t('properties.lastSession')} rows={statistics} />
      </div>
    </>
  );
}

/** Where the item lives and the options it was set up with (conflict policy, what it leaves out). */
function itemOptionRows(details: ItemDetails, handlerId: string, t: TFunction): Rows {
  const rows: [string, string][] = details.locations.map((location) => [t(sideLabelKey(handlerId, location.side)), location.path]);
  if (details.conflictPolicy !== null) {
    const kind = handlerId === 'xml' ? 'xml' : 'folders';
    const sides = { first: t(`setup.kinds.${kind}.firstShort`), second: t(`setup.kinds.${kind}.secondShort`) };
    rows.push([t('properties.conflictPolicy'), t(`setup.policies.${details.conflictPolicy}.label`, sides)]);
  }
  if (details.conflictPolicy !== null || details.exclude.length > 0) {
    rows.push([t('properties.exclude'), details.exclude.length > 0 ? details.exclude.join(', ') : t('properties.excludeNone')]);
  }
  return rows;
}

/** The last session as the handler recorded it: outcome, when, how long, and what each side received. */
function lastSessionRows(details: ItemDetails, t: TFunction, language: string): Rows {
  const session = details.lastSession;
  if (session === null) return [];
  const rows: [string, string][] = [
    [t('properties.lastResult'), t(`properties.outcomes.${session.outcome}`)],
    [t('properties.startedAt'), formatFullDateTime(session.startedTime, language)],
    [t('properties.duration'), formatDuration(Math.max(0, session.finishedTime - session.startedTime), language)],
  ];
  for (const [side, counts] of [['left', session.toLeft], ['right', session.toRight]] as const) {
    if (counts === null) continue;
    const part = (key: string, count: number) => t(`properties.${key}`, { count, formatted: formatCount(count, language) });
    const values = { created: part('receivedNew', counts.created), updated: part('receivedChanged', counts.updated), moved: part('receivedMoved', counts.moved), deleted: part('receivedDeleted', counts.deleted) };
    const label = t('properties.receivedBy', { side: t(sideLabelKey(details.handlerId, side, true)) });
    rows.push([label, counts.failed > 0 ? t('properties.receivedFailed', { ...values, failed: part('receivedNotWritten', counts.failed) }) : t('properties.received', values)]);
  }
  rows.push([t('properties.conflictsLeft'), formatCount(session.conflicts, language)]);
  if (session.message !== null) rows.push([t('properties.reason'), session.message]);
  return rows;
}

/** What the window saw of the last session's end, or a line saying it saw none since it opened. */
function lastResultRows(result: LastResult | undefined, t: TFunction, language: string): Rows {
  if (result === undefined) return [[t('properties.lastResult'), t('properties.noSessionSeen')]];
  const rows: [string, string][] = [
    [t('properties.lastResult'), t(`properties.outcomes.${outcomeOf(result.state)}`)],
    [t('properties.finished'), formatFullDateTime(result.finishedTime, language)],
  ];
  if (result.errors !== null && result.conflicts !== null) {
    rows.push([
      t('properties.sessionIssues'),
      t('properties.sessionIssuesValue', { errors: formatCount(result.errors, language), conflicts: formatCount(result.conflicts, language) }),
    ]);
  }
  if (result.manual) rows.push([t('properties.started'), t('properties.manual')]);
  return rows;
}

function outcomeOf(state: LastResult['state']): 'succeeded' | 'failed' | 'canceled' | 'conflict' | 'disconnected' | 'other' {
  return state === 'succeeded' || state === 'failed' || state === 'canceled' || state === 'conflict' || state === 'disconnected' ? state : 'other';
}

function PropertySection({ title, rows }: { readonly title: string; readonly rows: Rows }) {
  return (
    <section className="property-section" aria-label={title}>
      <h3 className="property-heading">{title}</h3>
      <dl className="properties">
        {rows.map(([term, value]) => (
          <div key={term} className="property">
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
