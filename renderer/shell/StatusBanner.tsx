import { useTranslation } from 'react-i18next';
import { Icon } from '../components/Icon.tsx';
import { useAppStore } from '../store/store.ts';

/**
 * The strip under the toolbar for window-level problems: the event stream is reconnecting (what is shown may be
 * stale) or the last action failed. It never blocks the window.
 */
export function StatusBanner() {
  const { t } = useTranslation();
  const connection = useAppStore((state) => state.connection);
  const notice = useAppStore((state) => state.notice);
  const dismissNotice = useAppStore((state) => state.dismissNotice);
  return (
    <>
      {connection === 'reconnecting' && (
        <div className="banner warning" role="status">
          <Icon name="plug" />
          <span>{t('connection.reconnecting')}</span>
        </div>
      )}
      {notice !== null && (
        <div className="banner danger" role="alert">
          <Icon name="danger" />
          <span>{t(notice.key, notice.values)}</span>
          <button type="button" className="icon-button" aria-label={t('common.dismiss')} title={t('common.dismiss')} onClick={dismissNotice}>
            <Icon name="close" />
          </button>
        </div>
      )}
    </>
  );
}
