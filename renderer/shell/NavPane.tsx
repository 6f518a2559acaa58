import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { Icon, type IconName } from '../components/Icon.tsx';
import { formatCount } from '../i18n/format.ts';
import { useAppStore, type AppState } from '../store/store.ts';
import { viewIds, type ViewId } from '../store/uiSlice.ts';
import { PreferencesPanel } from './PreferencesPanel.tsx';

const icons: Record<ViewId, IconName> = { partnerships: 'sync', conflicts: 'conflicts', results: 'results', setup: 'setup' };

/** The badge counts of the navigation, derived from the handler summaries the host sends. */
function selectCounts(state: AppState): Record<ViewId, number> {
  let conflicts = 0;
  let errors = 0;
  for (const handler of state.handlers) {
    conflicts += handler.conflictCount;
    errors += handler.errorCount;
  }
  return { partnerships: state.handlers.length, conflicts: Math.max(conflicts, state.conflicts.length), results: errors, setup: 0 };
}

/**
 * The left navigation: the four places of Sync Center with their counts. It is a `navigation` landmark named
 * "Sync Center"; the buttons form one tab stop and arrow keys move between them (roving focus), as in a
 * desktop sidebar.
 */
export function NavPane() {
  const { t, i18n } = useTranslation();
  const view = useAppStore((state) => state.view);
  const showView = useAppStore((state) => state.showView);
  const counts = useAppStore(useShallow(selectCounts));
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number): void => {
    const last = viewIds.length - 1;
    const targets: Record<string, number> = { ArrowDown: index === last ? 0 : index + 1, ArrowUp: index === 0 ? last : index - 1, Home: 0, End: last };
    const target = targets[event.key];
    if (target === undefined) return;
    event.preventDefault();
    buttons.current[target]?.focus();
  };

  return (
    <nav className="nav" aria-label={t('app.name')}>
      <div className="brand">
        <img className="brand-icon" src="./icon.svg" alt="" width={28} height={28} />
        <span className="brand-name">{t('app.name')}</span>
      </div>
      <ul className="nav-list">
        {viewIds.map((id, index) => {
          const count = counts[id];
          const countLabel = id === 'setup' || count === 0 ? null : t(`nav.count.${id}`, { count, formatted: formatCount(count, i18n.language) });
          return (
            <li key={id}>
              <button
                ref={(element) => {
                  buttons.current[index] = element;
                }}
                type="button"
                className="nav-item"
                aria-current={view === id ? 'page' : undefined}
                tabIndex={view === id ? 0 : -1}
                onClick={() => showView(id)}
                onKeyDown={(event) => onKeyDown(event, index)}
              >
                <Icon name={icons[id]} size={18} />
                <span className="nav-label">{t(`nav.${id}`)}</span>
                {countLabel !== null && (
                  <span className={id === 'conflicts' || id === 'results' ? 'nav-badge attention' : 'nav-badge'}>
                    <span aria-hidden="true">{formatCount(count, i18n.language)}</span>
                    <span className="visually-hidden">{`, ${countLabel}`}</span>
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
      <PreferencesPanel />
    </nav>
  );
}
