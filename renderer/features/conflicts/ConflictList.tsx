import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SpacerRow, tableOverscan, tableWindow } from '../../components/virtualRows.tsx';
import { formatDateTime, formatFullDateTime } from '../../i18n/format.ts';
import type { ConflictEntry, SelectionMode } from '../../store/conflictsSlice.ts';
import { useAppStore } from '../../store/store.ts';
import { conflictKindKey } from './conflictChoices.ts';

/** Props of `ConflictList`. */
export interface ConflictListProps {
  readonly conflicts: readonly ConflictEntry[];
  readonly handlerName: (handlerId: string) => string;
  readonly onResolve: (conflict: ConflictEntry) => void;
  /** Where each row's Resolve button is registered, so focus can return to it when the dialog closes. */
  readonly resolveButtons: Map<string, HTMLButtonElement>;
}

/** The modifier of a click: Shift extends, Ctrl/Cmd toggles, a plain click on a row selects just that row. */
function modeOf(event: MouseEvent, plain: SelectionMode): SelectionMode {
  if (event.shiftKey) return 'range';
  if (event.ctrlKey || event.metaKey) return 'toggle';
  return plain;
}

/**
 * The open conflicts as a table: a checkbox per row for bulk resolution (Shift extends the selection,
 * Ctrl/Cmd toggles, as in a file manager), and a Resolve button that opens the dialog (so does a double-click).
 * Rows are virtualized (`virtualRows.tsx`), so thousands of conflicts (a whole tree edited on both sides) scroll
 * smoothly; "select all" still selects every one.
 */
export function ConflictList({ conflicts, handlerName, onResolve, resolveButtons }: ConflictListProps) {
  const { t, i18n } = useTranslation();
  const selected = useAppStore((state) => state.selectedConflictIds);
  const clickConflict = useAppStore((state) => state.clickConflict);
  const selectConflicts = useAppStore((state) => state.selectConflicts);
  const selectAll = useRef<HTMLInputElement>(null);
  const visibleIds = conflicts.map((conflict) => conflict.id);
  const selectedCount = visibleIds.filter((id) => selected.has(id)).length;
  const allSelected = conflicts.length > 0 && selectedCount === conflicts.length;
  const language = i18n.language;
  const scroller = useRef<HTMLDivElement>(null);
  // The window is not built with React Compiler; the virtualizer re-renders this component itself when it scrolls.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: conflicts.length, getScrollElement: () => scroller.current, estimateSize: () => 48, overscan: tableOverscan });
  const virtual = tableWindow(virtualizer);

  useEffect(() => {
    // "Some selected" has no HTML attribute; the mixed state is a DOM property.
    if (selectAll.current !== null) selectAll.current.indeterminate = selectedCount > 0 && !allSelected;
  }, [selectedCount, allSelected]);

  if (conflicts.length === 0) return <p className="muted padded">{t('conflicts.noMatch')}</p>;
  return (
    <div className="table-scroll" ref={scroller}>
      <table className="table conflict-table" aria-label={t('conflicts.listLabel')} aria-rowcount={conflicts.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" className="check-cell">
              <input
                ref={selectAll}
                type="checkbox"
                checked={allSelected}
                aria-label={t('conflicts.selectAll')}
                title={t('conflicts.selectAll')}
                onChange={() => selectConflicts(allSelected ? [] : visibleIds)}
              />
            </th>
            <th scope="col">{t('conflicts.columns.name')}</th>
            <th scope="col">{t('conflicts.columns.partnership')}</th>
            <th scope="col">{t('conflicts.columns.kind')}</th>
            <th scope="col">{t('conflicts.columns.detected')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('conflicts.columns.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <SpacerRow height={virtual.before} columns={6} />
          {virtual.rows.map((row) => {
            const conflict = conflicts[row.index];
            if (conflict === undefined) return null;
            const kindKey = conflictKindKey(conflict.kind);
            const isSelected = selected.has(conflict.id);
            return (
              <tr
                key={conflict.id}
                ref={virtualizer.measureElement}
                data-index={row.index}
                aria-rowindex={row.index + 2}
                aria-selected={isSelected}
                onClick={(event) => {
                  if ((event.target as HTMLElement).closest('button, input') === null) clickConflict(conflict.id, modeOf(event, 'replace'), visibleIds);
                }}
                onDoubleClick={(event) => {
                  if ((event.target as HTMLElement).closest('button, input') === null) onResolve(conflict);
                }}
              >
                <td className="check-cell">
                  <input
                    type="checkbox"
                    checked={isSelected}
                    aria-label={t('conflicts.select', { name: conflict.name })}
                    onClick={(event) => clickConflict(conflict.id, modeOf(event, 'toggle'), visibleIds)}
                    onChange={() => undefined}
                  />
                </td>
                <td className="conflict-name">{conflict.name}</td>
                <td>{handlerName(conflict.handlerId)}</td>
                <td>{kindKey === null ? conflict.kind : t(kindKey)}</td>
                <td title={formatFullDateTime(conflict.detectedTime, language)}>{formatDateTime(conflict.detectedTime, language)}</td>
                <td className="action-cell">
                  <button
                    ref={(element) => {
                      if (element === null) resolveButtons.delete(conflict.id);
                      else resolveButtons.set(conflict.id, element);
                    }}
                    type="button"
                    className="button small-button"
                    aria-label={t('conflicts.resolveNamed', { name: conflict.name })}
                    onClick={() => onResolve(conflict)}
                  >
                    {t('conflicts.resolve')}
                  </button>
                </td>
              </tr>
            );
          })}
          <SpacerRow height={virtual.after} columns={6} />
        </tbody>
      </table>
    </div>
  );
}
