import { useTranslation } from 'react-i18next';
import { Icon, type IconName } from '../../components/Icon.tsx';
import { statusTone, type DisplayStatus, type StatusTone } from './displayStatus.ts';

const toneIcons: Record<StatusTone, IconName> = { neutral: 'pause', active: 'sync', success: 'success', warning: 'conflicts', danger: 'danger' };
const statusIcons: Partial<Record<DisplayStatus, IconName>> = { disconnected: 'unplugged', queued: 'clock', notSynced: 'info' };

/** The Status cell: an icon and a word, coloured by tone (never by colour alone, so it reads in any theme). */
export function StatusBadge({ status }: { readonly status: DisplayStatus }) {
  const { t } = useTranslation();
  const tone = statusTone(status);
  return (
    <span className={`status status-${tone}`}>
      <Icon name={statusIcons[status] ?? toneIcons[tone]} size={14} className={status === 'syncing' ? 'spin' : undefined} />
      <span>{t(`status.${status}`)}</span>
    </span>
  );
}
