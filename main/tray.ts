/**
 * The tray icon: its image and tooltip show idle, syncing, conflicts or errors; its menu offers Sync All,
 * Open Sync Center, View conflicts and Quit. State comes from the control API like everything else.
 */
import { Menu, Tray, nativeImage } from 'electron';
import path from 'node:path';
import type { TFunction } from 'i18next';
import type { ControlApi } from '../app/control/contract.ts';
import { summarizeForTray, type TraySummary } from './trayState.ts';

/** What the tray's menu entries do. */
export interface TrayActions {
  openWindow(): void;
  showConflicts(): void;
  quit(): void;
}

/** Creates the tray and keeps it current; returns a function that removes it. */
export function createTray(options: { api: ControlApi; resourcesDir: string; t: TFunction<'main'>; actions: TrayActions; log: (message: string) => void }): () => void {
  const { api, t, actions } = options;
  const image = (state: TraySummary['state']) => nativeImage.createFromPath(path.join(options.resourcesDir, 'tray', `${state}.png`));
  const tray = new Tray(image('idle'));
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: t('tray.syncAll'), click: () => void api.startSyncAll({}).catch((error: unknown) => options.log(`Sync All failed: ${String(error)}`)) },
      { label: t('tray.open'), click: actions.openWindow },
      { label: t('tray.viewConflicts'), click: actions.showConflicts },
      { type: 'separator' },
      { label: t('tray.quit'), click: actions.quit },
    ]),
  );
  tray.on('click', actions.openWindow);
  let last: TraySummary | null = null;
  const refresh = async (): Promise<void> => {
    const summary = summarizeForTray(await api.listHandlers({}));
    if (last !== null && last.state === summary.state && last.conflicts === summary.conflicts && last.errors === summary.errors) return;
    last = summary;
    tray.setImage(image(summary.state));
    tray.setToolTip(tooltip(t, summary));
  };
  const refreshSafely = (): void => void refresh().catch((error: unknown) => options.log(`tray refresh failed: ${String(error)}`));
  refreshSafely();
  const unsubscribe = api.subscribe((event) => {
    if (event.type !== 'itemProgressed') refreshSafely();
  });
  return () => {
    unsubscribe();
    tray.destroy();
  };
}

function tooltip(t: TFunction<'main'>, summary: TraySummary): string {
  if (summary.state === 'conflicts') return t('tray.tooltip.conflicts', { count: summary.conflicts });
  if (summary.state === 'errors') return t('tray.tooltip.errors', { count: summary.errors });
  return t(`tray.tooltip.${summary.state}`);
}
