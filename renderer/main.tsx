import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { browserEnvironment, createApi } from './api/api.ts';
import { unwrapWireResult } from './api/wireResult.ts';
import { ApiProvider } from './api/ApiContext.tsx';
import { forgetToken } from './api/token.ts';
import { App } from './App.tsx';
import { startBridge } from './bridge.ts';
import { createI18n, resolveLanguage } from './i18n/i18n.ts';
import { followHash } from './shell/hashNavigation.ts';
import { followHostLanguage } from './shell/hostLanguage.ts';
import { NoTokenScreen } from './shell/NoTokenScreen.tsx';
import { followPreferences } from './shell/preferences.ts';
import { appStore } from './store/store.ts';
import './styles/index.css';

/**
 * Entry point: find the host (preload or web host), start the bridge that feeds the store, apply language and
 * theme, and render. Without a host there is nothing to show but how to open the window properly.
 */
function boot(): void {
  const root = document.getElementById('root');
  if (root === null) throw new Error('index.html has no #root element.');
  const i18n = createI18n(resolveLanguage(appStore.getState().language, navigator.languages));
  followPreferences(appStore, i18n);
  const env = browserEnvironment();
  // The token leaves the fragment first (createApi), so the fragment is free to name the view.
  const connection = createApi(env);
  followHash(appStore, window);
  if (connection.kind === 'noToken') {
    appStore.getState().setConnection('unauthorized');
  }
  const bridge =
    connection.kind === 'ready'
      ? startBridge({ api: connection.api, connection: connection.connection, store: appStore, onUnauthorized: () => forgetToken(env) })
      : null;
  if (connection.kind === 'ready') followHostLanguage(i18n, connection.api, connection.connection);
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        {connection.kind === 'ready' && bridge !== null ? (
          <ApiProvider value={{ api: connection.api, refresh: () => void bridge.refresh(), pickFolder: folderPicker(env), openLocation: locationOpener(env) }}>
            <App />
          </ApiProvider>
        ) : (
          <NoTokenScreen />
        )}
      </I18nextProvider>
    </StrictMode>,
  );
}

/** The preload's native folder picker, bound so it can be passed around; absent in a browser. */
function folderPicker(env: ReturnType<typeof browserEnvironment>): (() => Promise<string | null>) | undefined {
  const bridge = env.bridge;
  if (bridge?.pickFolder === undefined) return undefined;
  return () => bridge.pickFolder?.() ?? Promise.resolve(null);
}

/** The preload's Browse opener, unwrapped so a refusal rejects with an ApiError; absent in a browser. */
function locationOpener(env: ReturnType<typeof browserEnvironment>): ((handlerId: string, itemId: string, path: string) => Promise<void>) | undefined {
  const open = env.bridge?.openLocation;
  if (open === undefined) return undefined;
  return async (handlerId, itemId, path) => {
    unwrapWireResult(await open(handlerId, itemId, path), 'openLocation');
  };
}

boot();
