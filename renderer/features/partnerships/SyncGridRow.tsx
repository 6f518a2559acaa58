import { memo, useCallback, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/Icon.tsx';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { useMinuteClock } from '../../components/useMinuteClock.ts';
import { formatCount, formatDateTime, formatFullDateTime, formatUpcoming } from '../../i18n/format.ts';
import { handlerTypeLabel } from '../../i18n/handlerTypeLabel.ts';
import { parseRowKey } from '../../store/handlerIndex.ts';
import { useAppStore, type AppState } from '../../store/store.ts';
import { RowActions } from './RowActions.tsx';
import { selectRow } from './rowSelectors.ts';
import { StatusBadge } from './StatusBadge.tsx';

/** Props of `SyncGridRow`. */
export interface SyncGridRowProps {
  /** Handler id or `handlerId/itemId`; the row reads its own state from the store by it. */
  readonly rowKey: string;
  readonly index: number;
  /** Pixel offset from the top of the virtual canvas. */
  readonly offset: number;
  readonly selected: boolean;
  /** The one row in the tab order (roving focus). */
  readonly focusable: boolean;
  readonly onSelect: (key: string) => void;
  readonly onOpen: (key: string) => void;
  readonly onKeyDown: (event: KeyboardEvent<HTMLDivElement>, index: number) => void;
}

/**
 * One row of the grid: name, status, progress, last sync and issue counts. It subscribes to its own entry, so a
 * progress event for another item does not re-render it.
 */
export const SyncGridRow = memo(function SyncGridRow({ rowKey, index, offset, selected, focusable, onSelect, onOpen, onKeyDown }: SyncGridRowProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { handlerId, itemId } = parseRowKey(rowKey);
  const row = useAppStore(useCallback((state: AppState) => selectRow(state, handlerId, itemId), [handlerId, itemId]));
  if (row === null) return null;
  const detail =
    row.itemCount === null
      ? row.detail
      : t('partnerships.detail', {
          type: handlerTypeLabel({ id: row.handlerId, type: row.handlerType, typeLabel: row.detail }, t),
          count: row.itemCount,
          formatted: formatCount(row.itemCount, language),
        });
  return (
    <div
      className="grid-row"
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-index={index}
      tabIndex={focusable ? 0 : -1}
      style={{ transform: `translateY(${offset}px)` }}
      onClick={() => onSelect(rowKey)}
      // A right click (or the menu key) acts on the row it is on: select it before the context menu opens.
      onContextMenu={() => onSelect(rowKey)}
      onDoubleClick={() => onOpen(rowKey)}
      onKeyDown={(event) => onKeyDown(event, index)}
    >
      <span role="gridcell" className="cell-name">
        <span className={`row-icon tone-${row.icon}`}>
          <Icon name={row.icon} size={20} />
        </span>
        <span className="name-lines">
          <span className="row-name">{row.name}</span>
          <span className="row-detail">{detail}</span>
        </span>
        {row.itemId === null && <Icon name="chevronRight" className="row-chevron" />}
      </span>
      <span role="gridcell">
        <StatusBadge status={row.status} />
      </span>
      <span role="gridcell" className="cell-progress">
        <ProgressBar progress={row.progress} label={row.name} active={row.status === 'syncing'} />
      </span>
      <span role="gridcell" className="cell-time">
        {row.lastSyncTime === null ? (
          <span className="muted">{t('partnerships.never')}</span>
        ) : (
          <time dateTime={new Date(row.lastSyncTime).toISOString()} title={formatFullDateTime(row.lastSyncTime, language)}>
            {formatDateTime(row.lastSyncTime, language)}
          </time>
        )}
        {row.nextScheduledTime !== null && <NextSync time={row.nextScheduledTime} />}
      </span>
      <span role="gridcell" className="cell-issues">
        <IssueCounts errors={row.errorCount} conflicts={row.conflictCount} />
        <RowActions row={row} />
      </span>
    </div>
  );
});

/** The next scheduled sync under the last one; it follows the clock ("8:15 AM" today, "Wed 8:15 AM" later). */
function NextSync({ time }: { readonly time: number }) {
  const { t, i18n } = useTranslation();
  const now = useMinuteClock();
  return (
    <span className="next-sync" title={t('partnerships.nextSyncLabel', { time: formatFullDateTime(time, i18n.language) })}>
      <Icon name="schedule" size={12} />
      <span>{t('partnerships.nextSync', { time: formatUpcoming(time, now, i18n.language) })}</span>
    </span>
  );
}

function IssueCounts({ errors, conflicts }: { readonly errors: number; readonly conflicts: number }) {
  const { t, i18n } = useTranslation();
  if (errors === 0 && conflicts === 0) return <span className="muted">{t('partnerships.noIssues')}</span>;
  return (
    <span className="issues">
      {errors > 0 && (
        <span className="issue danger">
          <Icon name="danger" size={14} />
          <span>{t('partnerships.errors', { count: errors, formatted: formatCount(errors, i18n.language) })}</span>
        </span>
      )}
      {conflicts > 0 && (
        <span className="issue warning">
          <Icon name="conflicts" size={14} />
          <span>{t('partnerships.conflicts', { count: conflicts, formatted: formatCount(conflicts, i18n.language) })}</span>
        </span>
      )}
    </span>
  );
}
