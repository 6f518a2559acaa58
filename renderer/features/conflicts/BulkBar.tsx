import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResolutionChoice } from '../../../app/control/schemas.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { Icon } from '../../components/Icon.tsx';
import { formatCount } from '../../i18n/format.ts';
import { appStore } from '../../store/store.ts';
import { guardDecision, resolveEach } from './conflictChoices.ts';

const bulkChoices: readonly { readonly choice: ResolutionChoice; readonly key: string }[] = [
  { choice: 'keepLeft', key: 'keepLeft' },
  { choice: 'keepRight', key: 'keepRight' },
  { choice: 'keepAll', key: 'keepBoth' },
  { choice: 'keepNewer', key: 'keepNewer' },
  { choice: 'skip', key: 'skip' },
];

/**
 * The bar that replaces the filter while conflicts are selected: one choice for all of them. Each conflict is
 * resolved on its own, so one failure (a file changed again meanwhile) does not block the rest; failures are
 * listed in the bar with the host's message and stay selected for another try. A safety stop (`guardDecision`:
 * many files deleted, a folder not recognized) is never settled in bulk — "Keep left" could confirm a whole
 * folder's deletions — so it is left out, stays selected, and the bar says to decide it on its own.
 */
export function BulkBar({ selectedIds }: { readonly selectedIds: readonly string[] }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [leftOut, setLeftOut] = useState(0);
  const language = i18n.language;
  const count = selectedIds.length;

  const apply = (choice: ResolutionChoice): void => {
    setBusy(true);
    setFailure(null);
    const conflicts = new Map(appStore.getState().conflicts.map((conflict) => [conflict.id, conflict]));
    const decisions = selectedIds.filter((id) => {
      const conflict = conflicts.get(id);
      return conflict !== undefined && guardDecision(conflict) !== null;
    });
    setLeftOut(decisions.length);
    void resolveEach(
      api,
      selectedIds.filter((id) => !decisions.includes(id)),
      choice,
    ).then(({ resolved, failed }) => {
      const state = appStore.getState();
      state.removeConflicts(resolved);
      state.selectConflicts([...failed.map((entry) => entry.id), ...decisions]);
      if (resolved.length > 0) state.announce('announce.conflictsResolved', { count: resolved.length, formatted: formatCount(resolved.length, language) });
      const first = failed[0];
      if (first !== undefined) setFailure(t('bulk.failed', { count: failed.length, formatted: formatCount(failed.length, language), message: first.message }));
      setBusy(false);
    });
  };

  return (
    <div className="bulk">
      <div className="toolbar bulk-bar" role="toolbar" aria-label={t('bulk.label')} aria-busy={busy}>
        <span className="bulk-count" aria-live="polite">
          {t('bulk.selected', { count, formatted: formatCount(count, language) })}
        </span>
        <div className="toolbar-group">
          {bulkChoices.map(({ choice, key }) => (
            <button key={choice} type="button" className="tool" disabled={busy} title={t(`bulk.hints.${key}`)} onClick={() => apply(choice)}>
              <span className="tool-label">{t(`bulk.${key}`)}</span>
            </button>
          ))}
        </div>
        <span className="toolbar-spacer" />
        <button type="button" className="tool" disabled={busy} title={t('bulk.clear')} onClick={() => appStore.getState().selectConflicts([])}>
          <Icon name="close" />
          <span className="tool-label collapsible">{t('bulk.clear')}</span>
        </button>
      </div>
      {failure !== null && (
        <div className="banner danger" role="alert">
          <Icon name="danger" />
          <span>{failure}</span>
        </div>
      )}
      {leftOut > 0 && (
        <div className="banner warning" role="status">
          <Icon name="info" />
          <span>{t('bulk.decisionsLeftOut', { count: leftOut, formatted: formatCount(leftOut, language) })}</span>
        </div>
      )}
    </div>
  );
}
