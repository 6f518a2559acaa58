import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useId, useMemo, useRef } from 'react';
import type { SyncResultEvent } from '../../../app/control/schemas.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { errorMessage } from '../../api/ApiError.ts';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Icon, type IconName } from '../../components/Icon.tsx';
import { SpacerRow, tableOverscan, tableWindow } from '../../components/virtualRows.tsx';
import { ViewHeader } from '../../components/ViewHeader.tsx';
import { formatCount, formatDateTime, formatFullDateTime } from '../../i18n/format.ts';
import { itemKey } from '../../store/handlerIndex.ts';
import { filterResults, type ResultLevel } from '../../store/resultsSlice.ts';
import { useAppStore, type AppState } from '../../store/store.ts';

const levels: readonly ResultLevel[] = ['error', 'warning', 'information'];
const levelIcons: Record<ResultLevel, IconName> = { error: 'danger', warning: 'conflicts', information: 'info' };

function selectFailingHandlers(state: AppState) {
  return state.handlers.filter((handler) => handler.errorCount > 0);
}

/** Sync results: what happened during syncs (events with level, time, partnership, item), filterable by level and partnership. */
export function ResultsView() {
  const { t, i18n } = useTranslation();
  const results = useAppStore((state) => state.results);
  const filter = useAppStore((state) => state.resultFilter);
  const setFilter = useAppStore((state) => state.setResultFilter);
  const clearResults = useAppStore((state) => state.clearResults);
  const showNotice = useAppStore((state) => state.showNotice);
  const api = useApi();
  const clear = (): void => {
    api
      .removeEvents({})
      .then(clearResults)
      .catch((error: unknown) => showNotice('notice.actionFailed', { action: t('results.clear'), message: errorMessage(error) }));
  };
  const handlers = useAppStore((state) => state.handlers);
  const failing = useAppStore(useShallow(selectFailingHandlers));
  const openHandler = useAppStore((state) => state.openHandler);
  const levelId = useId();
  const handlerId = useId();
  const visible = useMemo(() => filterResults(results, filter), [results, filter]);
  // Names by id, built once per handler list: thousands of rows times thousands of items must not be searched.
  const names = useMemo(() => new Map(handlers.flatMap((handler) => [[handler.id, handler.name] as const, ...handler.items.map((item) => [itemKey(handler.id, item.id), item.name] as const)])), [handlers]);
  const language = i18n.language;

  return (
    <section className="view" aria-labelledby="view-title">
      <ViewHeader title={t('results.title')} description={t('results.description')} />
      <div className="toolbar" role="toolbar" aria-label={t('results.toolbar')}>
        <label className="field-inline" htmlFor={levelId}>
          <span>{t('results.level')}</span>
          <select id={levelId} value={filter.level ?? ''} onChange={(event) => setFilter({ level: event.target.value === '' ? null : (event.target.value as ResultLevel) })}>
            <option value="">{t('results.allLevels')}</option>
            {levels.map((level) => (
              <option key={level} value={level}>
                {t(`results.levels.${level}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field-inline" htmlFor={handlerId}>
          <span>{t('results.partnership')}</span>
          <select id={handlerId} value={filter.handlerId ?? ''} onChange={(event) => setFilter({ handlerId: event.target.value === '' ? null : event.target.value })}>
            <option value="">{t('results.allPartnerships')}</option>
            {handlers.map((handler) => (
              <option key={handler.id} value={handler.id}>
                {handler.name}
              </option>
            ))}
          </select>
        </label>
        <span className="toolbar-spacer" />
        <button type="button" className="tool" disabled={results.length === 0} onClick={clear}>
          <Icon name="delete" />
          <span className="tool-label">{t('results.clear')}</span>
        </button>
      </div>
      <div className="view-body">
        {visible.length > 0 && <ResultsTable results={visible} names={names} />}
        {visible.length === 0 && results.length > 0 && <p className="muted padded">{t('results.noMatch')}</p>}
        {results.length === 0 && failing.length === 0 && (
          <EmptyState icon="results" title={t('results.emptyTitle')}>
            <p>{t('results.emptyBody')}</p>
          </EmptyState>
        )}
        {results.length === 0 && failing.length > 0 && (
          <div className="summary-list">
            <h2 className="section-title">{t('results.reportedTitle')}</h2>
            <ul aria-label={t('results.reportedLabel')}>
              {failing.map((handler) => (
                <li key={handler.id} className="summary-card">
                  <Icon name="danger" size={20} className="danger-text" />
                  <span className="summary-name">{handler.name}</span>
                  <span className="muted">{t('partnerships.errors', { count: handler.errorCount, formatted: formatCount(handler.errorCount, language) })}</span>
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

/**
 * The events as a table, virtualized (see `virtualRows.tsx`): Sync results keeps up to 5,000 events. Memoized, so
 * progress streaming through the store does not re-render it; names come from a map built once per handler list.
 */
const ResultsTable = memo(function ResultsTable({ results: visible, names }: { readonly results: readonly SyncResultEvent[]; readonly names: ReadonlyMap<string, string> }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const handlerName = (id: string) => names.get(id) ?? id;
  const itemName = (id: string, item: string | null) => (item === null ? '' : (names.get(itemKey(id, item)) ?? item));
  const scroller = useRef<HTMLDivElement>(null);
  // The window is not built with React Compiler; the virtualizer re-renders this component itself when it scrolls.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: visible.length, getScrollElement: () => scroller.current, estimateSize: () => 44, overscan: tableOverscan });
  const virtual = tableWindow(virtualizer);
  return (
    <div className="table-scroll" ref={scroller}>
      <table className="table" aria-label={t('results.listLabel')} aria-rowcount={visible.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">{t('results.columns.level')}</th>
            <th scope="col">{t('results.columns.time')}</th>
            <th scope="col">{t('results.columns.partnership')}</th>
            <th scope="col">{t('results.columns.item')}</th>
            <th scope="col">{t('results.columns.name')}</th>
            <th scope="col">{t('results.columns.description')}</th>
          </tr>
        </thead>
        <tbody>
          <SpacerRow height={virtual.before} columns={6} />
          {virtual.rows.map((row) => {
            const result = visible[row.index];
            if (result === undefined) return null;
            return (
              <tr key={result.id} ref={virtualizer.measureElement} data-index={row.index} aria-rowindex={row.index + 2}>
                <td>
                  <span className={`status status-${result.level === 'error' ? 'danger' : result.level === 'warning' ? 'warning' : 'neutral'}`}>
                    <Icon name={levelIcons[result.level]} size={14} />
                    <span>{t(`results.levels.${result.level}`)}</span>
                  </span>
                </td>
                <td title={formatFullDateTime(result.time, language)}>{formatDateTime(result.time, language)}</td>
                <td>{handlerName(result.handlerId)}</td>
                <td>{itemName(result.handlerId, result.itemId)}</td>
                <td>{result.name}</td>
                <td>
                  <span className="result-description">{result.description}</span>
                  {result.context !== null && result.context !== '' && <span className="muted result-detail">{result.context}</span>}
                  {result.link !== null && result.link !== '' && <ResultLink link={result.link} />}
                </td>
              </tr>
            );
          })}
          <SpacerRow height={virtual.after} columns={6} />
        </tbody>
      </table>
    </div>
  );
});

/** A result's link: web addresses open in the browser; anything else is shown as text to copy. */
function ResultLink({ link }: { link: string }) {
  const { t } = useTranslation();
  const web = /^https?:\/\//i.test(link);
  return (
    <span className="result-detail">
      {web ? (
        <a href={link} target="_blank" rel="noreferrer noopener">
          {t('results.moreInfo')}
        </a>
      ) : (
        <span className="muted">{link}</span>
      )}
    </span>
  );
}
