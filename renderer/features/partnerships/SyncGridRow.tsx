import { memo, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/Icon.tsx';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { formatCount, formatDateTime, formatFullDateTime } from '../../i18n/format.ts';
import { StatusBadge } from './StatusBadge.tsx';
import type { SyncRow } from './syncRows.ts';

/** Props of `SyncGridRow`. */
export interface SyncGridRowProps {
  readonly row: SyncRow;
  readonly index: number;
  /** Pixel offset from the top of the virtual canvas. */
  readonly offset: number;
  readonly selected: boolean;
  /** The one row in the tab order (roving focus). */
  readonly focusable: boolean;
  readonly onSelect: (row: SyncRow) => void;
  readonly onOpen: (row: SyncRow) => void;
  readonly onKeyDown: (event: KeyboardEvent<HTMLDivElement>, index: number) => void;
  readonly actions: ReactNode;
}

/** One row of the grid: name, status, progress, last sync and issue counts. */
export const SyncGridRow = memo(function SyncGridRow({ row, index, offset, selected, focusable, onSelect, onOpen, onKeyDown, actions }: SyncGridRowProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  return (
    <div
      className="grid-row"
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-index={index}
      tabIndex={focusable ? 0 : -1}
      style={{ transform: `translateY(${offset}px)` }}
      onClick={() => onSelect(row)}
      onDoubleClick={() => onOpen(row)}
      onKeyDown={(event) => onKeyDown(event, index)}
    >
      <span role="gridcell" className="cell-name">
        <span className={`row-icon tone-${row.icon}`}>
          <Icon name={row.icon} size={20} />
        </span>
        <span className="name-lines">
          <span className="row-name">{row.name}</span>
          <span className="row-detail">
            {row.itemCount === null ? row.detail : t('partnerships.detail', { type: row.detail, count: row.itemCount, formatted: formatCount(row.itemCount, language) })}
          </span>
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
      </span>
      <span role="gridcell" className="cell-issues">
        <IssueCounts errors={row.errorCount} conflicts={row.conflictCount} />
        {actions}
      </span>
    </div>
  );
});

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
