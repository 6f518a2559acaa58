import { useTranslation } from 'react-i18next';
import type { HandlerSummary } from '../../../app/control/schemas.ts';
import { Icon } from '../../components/Icon.tsx';
import { ViewHeader } from '../../components/ViewHeader.tsx';
import { formatCount } from '../../i18n/format.ts';
import { handlerTypeLabel } from '../../i18n/handlerTypeLabel.ts';
import { displayStatus } from './displayStatus.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { handlerIcon } from './syncRows.ts';

/** The header of an opened handler: a way back to all partnerships, its name, description and status. */
export function HandlerHeader({ handler, onBack }: { readonly handler: HandlerSummary; readonly onBack: () => void }) {
  const { t, i18n } = useTranslation();
  const description = handler.comment.length > 0 ? handler.comment : handlerTypeLabel(handler, t);
  return (
    <ViewHeader
      title={handler.name}
      description={description}
      before={
        <nav className="breadcrumb" aria-label={t('items.breadcrumb')}>
          <button type="button" className="link-button" onClick={onBack}>
            <Icon name="back" />
            <span>{t('partnerships.title')}</span>
          </button>
        </nav>
      }
      aside={
        <div className="handler-aside">
          <span className="row-icon large" aria-hidden="true">
            <Icon name={handlerIcon(handler.type)} size={24} />
          </span>
          <div>
            <StatusBadge status={displayStatus(handler)} />
            <p className="muted small">{t('items.count', { count: handler.items.length, formatted: formatCount(handler.items.length, i18n.language) })}</p>
          </div>
        </div>
      }
    />
  );
}
