import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SyncGridRow } from './SyncGridRow.tsx';
import type { SyncRow } from './syncRows.ts';

/** Props of `SyncGrid`. */
export interface SyncGridProps {
  /** The grid's accessible name ("Sync partnerships", "Items of Folders"). */
  readonly label: string;
  readonly rows: readonly SyncRow[];
  readonly selectedKey: string | null;
  readonly onSelect: (row: SyncRow) => void;
  /** Enter or double-click: open a handler, or show an item's properties. */
  readonly onOpen: (row: SyncRow) => void;
  /** Per-row buttons (Sync / Stop), when the host supports them. */
  readonly renderActions?: (row: SyncRow) => ReactNode;
  /** Move focus into the grid when it appears (the previous focus target was just unmounted). */
  readonly focusOnMount?: boolean;
}

const rowHeight = 60;

/**
 * The partnerships and items table. It is an ARIA grid with row focus: one tab stop, arrow keys, Home/End and
 * Page keys move the selection, Enter opens. Rows are virtualized so a handler with 10,000 items stays smooth
 * while progress streams in; aria-rowcount/rowindex keep the true size known to assistive technology.
 */
export function SyncGrid({ label, rows, selectedKey, onSelect, onOpen, renderActions, focusOnMount = false }: SyncGridProps) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is only read during render; nothing memoizes its functions.
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: 8 });
  const selectedIndex = rows.findIndex((row) => row.key === selectedKey);
  const focusIndex = selectedIndex === -1 ? 0 : selectedIndex;
  const [pendingFocus, setPendingFocus] = useState<number | null>(focusOnMount ? focusIndex : null);

  const virtualItems = virtualizer.getVirtualItems();
  const renderedRange = `${virtualItems[0]?.index ?? -1}:${virtualItems.at(-1)?.index ?? -1}`;

  // Focus follows the selection, but the target row may only exist once the virtualizer has scrolled to it,
  // so the request waits until the rendered range includes it.
  useEffect(() => {
    if (pendingFocus === null) return;
    const element = scroller.current?.querySelector<HTMLElement>(`[data-index="${pendingFocus}"]`);
    if (element !== null && element !== undefined) {
      element.focus({ preventScroll: true });
      setPendingFocus(null);
    }
  }, [pendingFocus, renderedRange]);

  const moveTo = (index: number): void => {
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    const row = rows[clamped];
    if (row === undefined) return;
    onSelect(row);
    virtualizer.scrollToIndex(clamped);
    setPendingFocus(clamped);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number): void => {
    if (event.target !== event.currentTarget) return;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? rowHeight) / rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: rows.length - 1, PageDown: index + page, PageUp: index - page };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(target);
      return;
    }
    const row = rows[index];
    if (row !== undefined && event.key === 'Enter') {
      event.preventDefault();
      onOpen(row);
    }
  };

  return (
    <div className="grid" role="grid" aria-label={label} aria-rowcount={rows.length + 1} aria-colcount={5}>
      <div className="grid-head" role="rowgroup">
        <div className="grid-row grid-header" role="row" aria-rowindex={1}>
          <span role="columnheader">{t('columns.name')}</span>
          <span role="columnheader">{t('columns.status')}</span>
          <span role="columnheader">{t('columns.progress')}</span>
          <span role="columnheader">{t('columns.lastSync')}</span>
          <span role="columnheader">{t('columns.issues')}</span>
        </div>
      </div>
      <div className="grid-body" role="rowgroup" ref={scroller}>
        <div className="grid-canvas" style={{ blockSize: `${virtualizer.getTotalSize()}px` }}>
          {virtualItems.map((virtual) => {
            const row = rows[virtual.index];
            if (row === undefined) return null;
            return (
              <SyncGridRow
                key={row.key}
                row={row}
                index={virtual.index}
                offset={virtual.start}
                selected={row.key === selectedKey}
                focusable={virtual.index === focusIndex}
                onSelect={onSelect}
                onOpen={onOpen}
                onKeyDown={onKeyDown}
                actions={renderActions?.(row)}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
