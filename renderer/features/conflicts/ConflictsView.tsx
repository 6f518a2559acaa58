import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Icon } from '../../components/Icon.tsx';
import { ViewHeader } from '../../components/ViewHeader.tsx';
import { formatCount } from '../../i18n/format.ts';
import { filterConflicts, type ConflictEntry } from '../../store/conflictsSlice.ts';
import { useAppStore, type AppState } from '../../store/store.ts';
import { BulkBar } from './BulkBar.tsx';
import { ConflictList } from './ConflictList.tsx';
import { ResolveDialog } from './ResolveDialog.tsx';

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
  const selected = useAppStore((state) => state.selectedConflictIds);
  const selectedIds = visible.filter((conflict) => selected.has(conflict.id)).map((conflict) => conflict.id);
  const { resolving, open, resolveButtons, onClosed, fallbackFocus } = useResolveDialog(visible);

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
            <input ref={fallbackFocus} id={filterId} type="search" value={filter} placeholder={t('conflicts.filterPlaceholder')} onChange={(event) => setFilter(event.target.value)} />
          </div>
          <span className="toolbar-spacer" />
          <span className="muted small conflicts-hint">{t('conflicts.hint')}</span>
        </div>
      )}
      {selectedIds.length > 0 && <BulkBar selectedIds={selectedIds} />}
      <div className="view-body">
        {conflicts.length > 0 && <ConflictList conflicts={visible} handlerName={handlerName} onResolve={open} resolveButtons={resolveButtons} />}
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
      {resolving !== undefined && <ResolveDialog key={resolving.id} conflict={resolving} onClosed={onClosed} />}
    </section>
  );
}

/**
 * The dialog's open state and where focus goes when it closes: back to the row's Resolve button, or, when that
 * row was resolved, to the next row's (else the previous one's, else the filter), so a keyboard user can work
 * down the list without hunting for their place.
 */
function useResolveDialog(visible: readonly ConflictEntry[]) {
  // A snapshot: if the conflict leaves the list while the dialog is open, the dialog stays and the host explains.
  const [resolving, setResolving] = useState<ConflictEntry | undefined>(undefined);
  const [focusTarget, setFocusTarget] = useState<{ readonly id: string | null } | null>(null);
  const [resolveButtons] = useState(() => new Map<string, HTMLButtonElement>());
  const fallbackFocus = useRef<HTMLInputElement>(null);
  const order = useRef<readonly string[]>([]);

  useEffect(() => {
    if (focusTarget === null) return;
    const button = focusTarget.id === null ? undefined : resolveButtons.get(focusTarget.id);
    (button ?? fallbackFocus.current)?.focus();
  }, [focusTarget, resolveButtons]);

  const open = (conflict: ConflictEntry): void => {
    order.current = visible.map((entry) => entry.id);
    setResolving(conflict);
  };
  const onClosed = (resolved: readonly string[]): void => {
    const gone = new Set(resolved);
    const ids = order.current;
    const index = resolving === undefined ? -1 : ids.indexOf(resolving.id);
    const after = ids.slice(index).find((id) => !gone.has(id));
    const before = ids.slice(0, Math.max(0, index)).reverse().find((id) => !gone.has(id));
    setResolving(undefined);
    setFocusTarget({ id: after ?? before ?? null });
  };
  return { resolving, open, resolveButtons, onClosed, fallbackFocus };
}
