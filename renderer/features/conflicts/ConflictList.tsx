import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/format.ts';
import type { ConflictEntry } from '../../store/conflictsSlice.ts';
import { useAppStore } from '../../store/store.ts';

/** Props of `ConflictList`. */
export interface ConflictListProps {
  readonly conflicts: readonly ConflictEntry[];
  readonly handlerName: (handlerId: string) => string;
}

/** The open conflicts as a table with a checkbox per row for bulk resolution. */
export function ConflictList({ conflicts, handlerName }: ConflictListProps) {
  const { t, i18n } = useTranslation();
  const selected = useAppStore((state) => state.selectedConflictIds);
  const toggle = useAppStore((state) => state.toggleConflictSelected);
  const selectConflicts = useAppStore((state) => state.selectConflicts);
  const allSelected = conflicts.length > 0 && conflicts.every((conflict) => selected.has(conflict.id));
  if (conflicts.length === 0) return <p className="muted padded">{t('conflicts.noMatch')}</p>;
  return (
    <table className="table" aria-label={t('conflicts.listLabel')}>
      <thead>
        <tr>
          <th scope="col" className="check-cell">
            <input type="checkbox" checked={allSelected} aria-label={t('conflicts.selectAll')} onChange={() => selectConflicts(allSelected ? [] : conflicts.map((conflict) => conflict.id))} />
          </th>
          <th scope="col">{t('conflicts.columns.name')}</th>
          <th scope="col">{t('conflicts.columns.partnership')}</th>
          <th scope="col">{t('conflicts.columns.kind')}</th>
          <th scope="col">{t('conflicts.columns.detected')}</th>
        </tr>
      </thead>
      <tbody>
        {conflicts.map((conflict) => (
          <tr key={conflict.id} aria-selected={selected.has(conflict.id)}>
            <td className="check-cell">
              <input type="checkbox" checked={selected.has(conflict.id)} aria-label={t('conflicts.select', { name: conflict.name })} onChange={() => toggle(conflict.id)} />
            </td>
            <td>{conflict.name}</td>
            <td>{handlerName(conflict.handlerId)}</td>
            <td>{conflict.kind}</td>
            <td>{formatDateTime(conflict.detectedTime, i18n.language)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
