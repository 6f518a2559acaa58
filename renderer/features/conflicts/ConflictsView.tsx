import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Icon } from '../../components/Icon.tsx';
import { ViewHeader } from '../../components/ViewHeader.tsx';
import { formatCount } from '../../i18n/format.ts';
import { filterConflicts } from '../../store/conflictsSlice.ts';
import { useAppStore, type AppState } from '../../store/store.ts';
import { ConflictList } from './ConflictList.tsx';

/** Handlers that report open conflicts, for the summary shown until each conflict is listed one by one. */
function selectConflictedHandlers(state: AppState) {
  return state.handlers.filter((handler) => handler.conflictCount > 0);
}

/**
 * Sync conflicts: every open conflict across partnerships, filterable, with multi-select for bulk resolution.
 * Handlers report their conflict counts in the summary; when the host has not sent the conflicts themselves, the
 * view says where they are so the user is never told "no conflicts" while a count says otherwise.
 */
export function ConflictsView() {
  const { t, i18n } = useTranslation();
  const conflicts = useAppStore((state) => state.conflicts);
  const filter = useAppStore((state) => state.conflictFilter);
  const setFilter = useAppStore((state) => state.setConflictFilter);
  const handlers = useAppStore((state) => state.handlers);
  const conflicted = useAppStore(useShallow(selectConflictedHandlers));
  const openHandler = useAppStore((state) => state.openHandler);
  const filterId = useId();
  const handlerName = useMemo(() => {
    const names = new Map(handlers.map((handler) => [handler.id, handler.name]));
    return (id: string) => names.get(id) ?? id;
  }, [handlers]);
  const visible = filterConflicts(conflicts, filter, handlerName);
  const reported = conflicted.reduce((sum, handler) => sum + handler.conflictCount, 0);

  return (
    <section className="view" aria-labelledby="view-title">
      <ViewHeader title={t('conflicts.title')} description={t('conflicts.description')} />
      {conflicts.length > 0 && (
      <div className="toolbar" role="toolbar" aria-label={t('conflicts.toolbar')}>
        <div className="search">
          <Icon name="search" />
          <label className="visually-hidden" htmlFor={filterId}>
            {t('conflicts.filter')}
          </label>
          <input id={filterId} type="search" value={filter} placeholder={t('conflicts.filterPlaceholder')} onChange={(event) => setFilter(event.target.value)} />
        </div>
      </div>
      )}
      <div className="view-body">
        {conflicts.length > 0 && <ConflictList conflicts={visible} handlerName={handlerName} />}
        {conflicts.length === 0 && reported === 0 && (
          <EmptyState icon="success" tone="success" title={t('conflicts.emptyTitle')}>
            <p>{t('conflicts.emptyBody')}</p>
          </EmptyState>
        )}
        {conflicts.length === 0 && reported > 0 && (
          <div className="summary-list">
            <h2 className="section-title">{t('conflicts.reportedTitle', { count: reported, formatted: formatCount(reported, i18n.language) })}</h2>
            <ul aria-label={t('conflicts.reportedLabel')}>
              {conflicted.map((handler) => (
                <li key={handler.id} className="summary-card">
                  <Icon name="conflicts" size={20} className="warning-text" />
                  <span className="summary-name">{handler.name}</span>
                  <span className="muted">{t('partnerships.conflicts', { count: handler.conflictCount, formatted: formatCount(handler.conflictCount, i18n.language) })}</span>
                  <button type="button" className="button" onClick={() => openHandler(handler.id)}>
                    {t('conflicts.showPartnership', { name: handler.name })}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
