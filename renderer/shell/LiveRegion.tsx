import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store.ts';

/**
 * The polite live region: screen readers speak each announcement (a sync started, finished, failed...) without
 * moving focus. Keying on the announcement id re-creates the text node, so the same message twice is spoken twice.
 */
export function LiveRegion() {
  const { t } = useTranslation();
  const announcement = useAppStore((state) => state.announcement);
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {announcement !== null && <span key={announcement.id}>{t(announcement.key, announcement.values)}</span>}
    </div>
  );
}
