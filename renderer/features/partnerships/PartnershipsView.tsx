import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useApi, useRefresh } from '../../api/ApiContext.tsx';
import { errorMessage } from '../../api/ApiError.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Icon } from '../../components/Icon.tsx';
import { ViewHeader } from '../../components/ViewHeader.tsx';
import { itemKey, parseRowKey } from '../../store/handlerIndex.ts';
import { findHandler } from '../../store/handlersSlice.ts';
import { appStore, useAppStore, type AppState } from '../../store/store.ts';
import { HandlerHeader } from './HandlerHeader.tsx';
import { PartnershipToolbar } from './PartnershipToolbar.tsx';
import { actionCalls, confirmationFor, enabledActions, resolveTarget, type ActionTarget, type ConfirmedAction, type ToolbarAction } from './partnershipActions.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { BrowseDialog } from './BrowseDialog.tsx';
import { PropertiesDialog } from './PropertiesDialog.tsx';
import { RowContextMenu } from './RowContextMenu.tsx';
import { ScheduleDialog } from '../schedules/ScheduleDialog.tsx';
import { selectRowKeys } from './rowSelectors.ts';
import { SyncGrid } from './SyncGrid.tsx';

/** The toolbar's enabled commands, as a flat record so `useShallow` re-renders only when one flips. */
function selectEnabledActions(state: AppState): Record<ToolbarAction, boolean> {
  return enabledActions(state.handlers, resolveTarget(state.handlers, state.selection));
}

function selectOpenedHandler(state: AppState) {
  return state.openHandlerId === null ? undefined : findHandler(state, state.openHandlerId);
}

/**
 * Sync partnerships: every handler with its status and progress; opening one shows its items with the same
 * columns. The toolbar acts on the selection. The view subscribes to the list's shape and the selection only;
 * each row subscribes to its own entry, so streaming progress re-renders rows, not the view.
 */
export function PartnershipsView() {
  const { t } = useTranslation();
  const api = useApi();
  const keys = useAppStore(selectRowKeys);
  const status = useAppStore((state) => state.handlersStatus);
  const openHandlerId = useAppStore((state) => state.openHandlerId);
  const opened = useAppStore(useShallow((state: AppState) => {
    const handler = selectOpenedHandler(state);
    return handler === undefined ? null : { id: handler.id, name: handler.name, type: handler.type };
  }));
  const selection = useAppStore((state) => state.selection);
  const reveal = useAppStore((state) => state.revealRequest);
  const enabled = useAppStore(useShallow(selectEnabledActions));
  const select = useAppStore((state) => state.select);
  const openHandler = useAppStore((state) => state.openHandler);
  const [propertiesOpen, setPropertiesOpen] = useState(false);
  const [scheduleOpen, setScheduleOpen] = useState(false);
  const [browseOpen, setBrowseOpen] = useState(false);
  const [confirming, setConfirming] = useState<{ readonly action: ConfirmedAction; readonly target: ActionTarget } | null>(null);
  // Set when the user moves between the list and a handler, whose grid then takes focus on mount.
  const [navigated, setNavigated] = useState(false);
  const selectedKey = selection === null ? null : selection.itemId === null ? selection.handlerId : itemKey(selection.handlerId, selection.itemId);

  const onAction = (action: ToolbarAction): void => {
    if (action === 'properties') {
      setPropertiesOpen(true);
      return;
    }
    if (action === 'schedule') {
      setScheduleOpen(true);
      return;
    }
    if (action === 'browse') {
      setBrowseOpen(true);
      return;
    }
    const { handlers, selection: current } = appStore.getState();
    const target = resolveTarget(handlers, current);
    const confirmation = confirmationFor(action, target);
    if (confirmation !== null && target !== null) {
      setConfirming({ action: confirmation, target });
      return;
    }
    run(action, target);
  };
  const run = (action: ToolbarAction, target: ActionTarget | null): void => {
    actionCalls[action]?.(api, target).catch((error: unknown) => {
      appStore.getState().showNotice('notice.actionFailed', { action: t(`actions.${action}.label`), message: errorMessage(error) });
    });
  };
  const closeSchedule = useCallback(() => setScheduleOpen(false), []);
  const closeBrowse = useCallback(() => setBrowseOpen(false), []);
  const onSelect = useCallback((key: string) => select(parseRowKey(key)), [select]);
  const onOpen = useCallback(
    (key: string) => {
      const { handlerId, itemId } = parseRowKey(key);
      if (itemId === null) {
        setNavigated(true);
        openHandler(handlerId);
      } else {
        select({ handlerId, itemId });
        setPropertiesOpen(true);
      }
    },
    [openHandler, select],
  );

  return (
    <section className="view" aria-labelledby="view-title">
      {opened === null ? (
        <ViewHeader title={t('partnerships.title')} description={t('partnerships.description')} />
      ) : (
        <OpenedHandlerHeader
          handlerId={opened.id}
          onBack={() => {
            setNavigated(true);
            openHandler(null);
          }}
        />
      )}
      <PartnershipToolbar enabled={enabled} onAction={onAction} />
      <div className="view-body">
        {status === 'loading' && <LoadingRows />}
        {status === 'failed' && <LoadFailed />}
        {status === 'ready' && keys.length === 0 && opened === null && <NoPartnerships />}
        {status === 'ready' && keys.length === 0 && opened !== null && (
          <EmptyState icon={opened.type === 'folder' ? 'folder' : 'xml'} title={t('items.emptyTitle')}>
            <p>{t('items.emptyBody', { name: opened.name })}</p>
          </EmptyState>
        )}
        {status === 'ready' && keys.length > 0 && (
          <RowContextMenu enabled={enabled} onAction={onAction}>
            <SyncGrid
              key={openHandlerId ?? ''}
              focusOnMount={navigated}
              label={opened === null ? t('partnerships.gridLabel') : t('items.gridLabel', { name: opened.name })}
              keys={keys}
              selectedKey={selectedKey}
              onSelect={onSelect}
              onOpen={onOpen}
              reveal={reveal}
            />
          </RowContextMenu>
        )}
      </div>
      {propertiesOpen && <PropertiesDialog onClose={() => setPropertiesOpen(false)} />}
      {scheduleOpen && <ScheduleDialog onClose={closeSchedule} />}
      {browseOpen && <BrowseDialog onClose={closeBrowse} />}
      {confirming !== null && (
        <ConfirmDialog
          action={confirming.action}
          name={(confirming.target.item ?? confirming.target.handler).name}
          onConfirm={() => run(confirming.action, confirming.target)}
          onClose={() => setConfirming(null)}
        />
      )}
    </section>
  );
}

/** The opened handler's header; it alone follows the handler's live state. */
function OpenedHandlerHeader({ handlerId, onBack }: { readonly handlerId: string; readonly onBack: () => void }) {
  const handler = useAppStore((state) => findHandler(state, handlerId));
  return handler === undefined ? null : <HandlerHeader handler={handler} onBack={onBack} />;
}

function NoPartnerships() {
  const { t } = useTranslation();
  const showView = useAppStore((state) => state.showView);
  return (
    <EmptyState
      icon="sync"
      title={t('partnerships.emptyTitle')}
      action={
        <button type="button" className="button primary" onClick={() => showView('setup')}>
          <Icon name="setup" />
          <span>{t('partnerships.emptyAction')}</span>
        </button>
      }
    >
      <p>{t('partnerships.emptyBody')}</p>
    </EmptyState>
  );
}

function LoadingRows() {
  const { t } = useTranslation();
  return (
    <div className="skeleton" role="status" aria-label={t('partnerships.loading')}>
      {[0, 1, 2].map((index) => (
        <div className="skeleton-row" key={index} aria-hidden="true" />
      ))}
    </div>
  );
}

function LoadFailed() {
  const { t } = useTranslation();
  const message = useAppStore((state) => state.handlersError);
  const refresh = useRefresh();
  return (
    <EmptyState
      icon="danger"
      title={t('partnerships.failedTitle')}
      action={
        <button type="button" className="button" onClick={refresh}>
          <Icon name="sync" />
          <span>{t('common.retry')}</span>
        </button>
      }
    >
      <p>{t('partnerships.failedBody')}</p>
      {message !== null && <p className="muted small">{message}</p>}
    </EmptyState>
  );
}
