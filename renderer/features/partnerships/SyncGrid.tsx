import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SyncGridRow } from './SyncGridRow.tsx';

/** Props of `SyncGrid`. */
export interface SyncGridProps {
  /** The grid's accessible name ("Sync partnerships", "Items of Folders"). */
  readonly label: string;
  /** Row keys in display order (handler ids, or `handlerId/itemId`); each row reads its own state from the store. */
  readonly keys: readonly string[];
  readonly selectedKey: string | null;
  readonly onSelect: (key: string) => void;
  /** Enter or double-click: open a handler, or show an item's properties. */
  readonly onOpen: (key: string) => void;
  /** Move focus into the grid when it appears (the previous focus target was just unmounted). */
  readonly focusOnMount?: boolean;
  /** Scroll to and focus this row as soon as it exists (a partnership just set up); changes re-trigger. */
  readonly reveal?: { readonly id: number; readonly key: string } | null;
}

const rowHeight = 60;

/**
 * The partnerships and items table. It is an ARIA grid with row focus: one tab stop, arrow keys, Home/End and
 * Page keys move the selection, Enter opens. Rows are virtualized and subscribe to their own entry in the store,
 * so a handler with 10,000 items stays smooth while progress streams in: the grid itself re-renders only when
 * the list's shape or the selection changes. aria-rowcount/rowindex keep the true size known to assistive
 * technology.
 */
export const SyncGrid = memo(function SyncGrid({ label, keys, selectedKey, onSelect, onOpen, focusOnMount = false, reveal = null }: SyncGridProps) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: keys.length, getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: 8 });
  const selectedIndex = selectedKey === null ? -1 : keys.indexOf(selectedKey);
  const focusIndex = selectedIndex === -1 ? 0 : selectedIndex;
  const [pendingFocus, setPendingFocus] = useState<number | null>(focusOnMount ? focusIndex : null);
  const [handledReveal, setHandledReveal] = useState<number | null>(null);

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

  // A reveal waits for its row: the new item appears with the next full read of the handler list.
  const revealIndex = reveal === null || reveal.id === handledReveal ? -1 : keys.indexOf(reveal.key);
  useEffect(() => {
    if (reveal === null || revealIndex === -1) return;
    setHandledReveal(reveal.id);
    virtualizer.scrollToIndex(revealIndex, { align: 'center' });
    setPendingFocus(revealIndex);
  }, [reveal, revealIndex, virtualizer]);

  const moveTo = (index: number): void => {
    const clamped = Math.max(0, Math.min(keys.length - 1, index));
    const key = keys[clamped];
    if (key === undefined) return;
    onSelect(key);
    virtualizer.scrollToIndex(clamped);
    setPendingFocus(clamped);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number): void => {
    if (event.target !== event.currentTarget) return;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? rowHeight) / rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: keys.length - 1, PageDown: index + page, PageUp: index - page };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(target);
      return;
    }
    const key = keys[index];
    if (key !== undefined && event.key === 'Enter') {
      event.preventDefault();
      onOpen(key);
    }
  };

  return (
    <div className="grid" role="grid" aria-label={label} aria-rowcount={keys.length + 1} aria-colcount={5}>
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
            const key = keys[virtual.index];
            if (key === undefined) return null;
            return (
              <SyncGridRow
                key={key}
                rowKey={key}
                index={virtual.index}
                offset={virtual.start}
                selected={key === selectedKey}
                focusable={virtual.index === focusIndex}
                onSelect={onSelect}
                onOpen={onOpen}
                onKeyDown={onKeyDown}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
});
