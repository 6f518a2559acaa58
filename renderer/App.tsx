import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ConflictsView } from './features/conflicts/ConflictsView.tsx';
import { PartnershipsView } from './features/partnerships/PartnershipsView.tsx';
import { ResultsView } from './features/results/ResultsView.tsx';
import { SetupView } from './features/setup/SetupView.tsx';
import { useAppStore } from './store/store.ts';
import type { ViewId } from './store/uiSlice.ts';
import { LiveRegion } from './shell/LiveRegion.tsx';
import { NavPane } from './shell/NavPane.tsx';
import { NoTokenScreen } from './shell/NoTokenScreen.tsx';
import { StatusBanner } from './shell/StatusBanner.tsx';

const views: Record<ViewId, () => React.JSX.Element> = {
  partnerships: PartnershipsView,
  conflicts: ConflictsView,
  results: ResultsView,
  setup: SetupView,
};

/** The Sync Center window: navigation on the left, the current view on the right, one live region. */
export function App() {
  const view = useAppStore((state) => state.view);
  const connection = useAppStore((state) => state.connection);
  const View = views[view];
  useDocumentTitle();
  if (connection === 'unauthorized') return <NoTokenScreen />;
  return (
    <div className="app">
      <NavPane />
      <main className="main">
        <StatusBanner />
        <View />
      </main>
      <LiveRegion />
    </div>
  );
}

/** Puts the conflict count in the window title, where the taskbar shows it. */
function useDocumentTitle(): void {
  const { t } = useTranslation();
  const conflicts = useAppStore((state) => state.handlers.reduce((sum, handler) => sum + handler.conflictCount, 0));
  const title = conflicts > 0 ? t('app.titleWithConflicts', { count: conflicts }) : t('app.name');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
