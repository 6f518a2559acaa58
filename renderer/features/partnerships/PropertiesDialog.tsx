import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/Icon.tsx';
import { formatCount, formatFullDateTime } from '../../i18n/format.ts';
import { displayStatus } from './displayStatus.ts';
import type { ActionTarget } from './partnershipActions.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { handlerIcon } from './syncRows.ts';

/**
 * Properties of the selected handler or item, from the summary the host sent. A native modal `<dialog>` gives
 * focus trapping, Escape to close and inert background without extra code.
 */
export function PropertiesDialog({ target, onClose }: { readonly target: ActionTarget; readonly onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const entry = target.item ?? target.handler;
  const language = i18n.language;

  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
  }, []);

  const rows: [string, string][] = [
    [t('properties.kind'), target.item === null ? target.handler.typeLabel : t('properties.itemOf', { name: target.handler.name })],
    [t('properties.description'), entry.comment.length > 0 ? entry.comment : '—'],
    [t('properties.enabled'), entry.enabled ? t('common.yes') : t('common.no')],
    [t('properties.connected'), entry.connected ? t('common.yes') : t('common.no')],
    [t('properties.lastSync'), entry.lastSyncTime === null ? t('partnerships.never') : formatFullDateTime(entry.lastSyncTime, language)],
    [t('properties.errors'), formatCount(entry.errorCount, language)],
    [t('properties.conflicts'), formatCount(entry.conflictCount, language)],
    [t('properties.identifier'), entry.id],
  ];
  if (target.item === null) rows.splice(1, 0, [t('properties.items'), formatCount(target.handler.items.length, language)]);

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="properties-title" onClose={onClose}>
      <header className="dialog-header">
        <span className="row-icon large" aria-hidden="true">
          <Icon name={handlerIcon(target.handler.type)} size={24} />
        </span>
        <div>
          <h2 id="properties-title">{t('properties.title', { name: entry.name })}</h2>
          <StatusBadge status={displayStatus(entry)} />
        </div>
      </header>
      <dl className="properties">
        {rows.map(([term, value]) => (
          <div key={term} className="property">
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog" className="dialog-actions">
        <button type="submit" className="button primary" autoFocus>
          {t('common.close')}
        </button>
      </form>
    </dialog>
  );
}
