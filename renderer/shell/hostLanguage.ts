import type { i18n } from 'i18next';
import type { ControlApi } from '../../app/control/contract.ts';
import { supportedLanguages } from '../i18n/i18n.ts';
import type { ConnectionMonitor } from '../api/api.ts';

/**
 * Keeps the host's language (the text it makes itself: errors, Sync Results, handlers' progress) the window's:
 * told at start, at every change, and after a reconnect (a restarted host starts in the system's language). A
 * host that cannot be told keeps its own; the window's text is unaffected either way.
 */
export function followHostLanguage(i18n: i18n, api: Pick<ControlApi, 'setHostLanguage'>, connection: Pick<ConnectionMonitor, 'onResync'>): () => void {
  const tell = (): void => {
    const language = supportedLanguages.find((supported) => supported === i18n.language);
    if (language !== undefined) void api.setHostLanguage({ language }).catch(() => undefined);
  };
  tell();
  i18n.on('languageChanged', tell);
  const stopResync = connection.onResync(tell);
  return () => {
    i18n.off('languageChanged', tell);
    stopResync();
  };
}
