import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useRefresh } from '../../api/ApiContext.tsx';
import { errorMessage } from '../../api/ApiError.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Icon } from '../../components/Icon.tsx';
import { ViewHeader } from '../../components/ViewHeader.tsx';
import { appStore, useAppStore } from '../../store/store.ts';
import { HandlerHeader } from './HandlerHeader.tsx';
import { PartnershipToolbar } from './PartnershipToolbar.tsx';
import { actionCalls, enabledActions, resolveTarget, type ToolbarAction } from './partnershipActions.ts';
import { PropertiesDialog } from './PropertiesDialog.tsx';
import { RowActions } from './RowActions.tsx';
import { SyncGrid } from './SyncGrid.tsx';
import { handlerRow, itemRow, type SyncRow } from './syncRows.ts';

/**
 * Sync partnerships: every handler with its status and progress; opening one shows its items with the same
 * columns. The toolbar acts on the selection.
 */
export function PartnershipsView() {
  const { t } = useTranslation();
  const api = useApi();
  const handlers = useAppStore((state) => state.handlers);
  const status = useAppStore((state) => state.handlersStatus);
  const openHandlerId = useAppStore((state) => state.openHandlerId);
  const selection = useAppStore((state) => state.selection);
  const select = useAppStore((state) => state.select);
  const openHandler = useAppStore((state) => state.openHandler);
  const [propertiesOpen, setPropertiesOpen] = useState(false);
  // Set when the user moves between the list and a handler, whose grid then takes focus on mount.
  const [navigated, setNavigated] = useState(false);

  const openedHandler = openHandlerId === null ? undefined : handlers.find((handler) => handler.id === openHandlerId);
  const rows = useMemo(
    () => (openedHandler === undefined ? handlers.map(handlerRow) : openedHandler.items.map((item) => itemRow(openedHandler, item))),
    [handlers, openedHandler],
  );
  const target = resolveTarget(handlers, selection);
  const enabled = enabledActions(handlers, target);
  const selectedKey = selection === null ? null : selection.itemId === null ? selection.handlerId : `${selection.handlerId}/${selection.itemId}`;

  const onAction = (action: ToolbarAction): void => {
    if (action === 'properties') {
      setPropertiesOpen(true);
      return;
    }
    const call = actionCalls[action];
    if (call === undefined) return;
    call(api, target).catch((error: unknown) => {
      appStore.getState().showNotice('notice.actionFailed', { action: t(`actions.${action}.label`), message: errorMessage(error) });
    });
  };
  const onSelect = useCallback((row: SyncRow) => select({ handlerId: row.handlerId, itemId: row.itemId }), [select]);
  const onOpen = useCallback(
    (row: SyncRow) => {
      if (row.itemId === null) {
        setNavigated(true);
        openHandler(row.handlerId);
      } else setPropertiesOpen(true);
    },
    [openHandler],
  );

  return (
    <section className="view" aria-labelledby="view-title">
      {openedHandler === undefined ? (
        <ViewHeader title={t('partnerships.title')} description={t('partnerships.description')} />
      ) : (
        <HandlerHeader
          handler={openedHandler}
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
        {status === 'ready' && rows.length === 0 && openedHandler === undefined && <NoPartnerships />}
        {status === 'ready' && rows.length === 0 && openedHandler !== undefined && (
          <EmptyState icon={openedHandler.type === 'folder' ? 'folder' : 'xml'} title={t('items.emptyTitle')}>
            <p>{t('items.emptyBody', { name: openedHandler.name })}</p>
          </EmptyState>
        )}
        {status === 'ready' && rows.length > 0 && (
          <SyncGrid
            key={openedHandler?.id ?? ''}
            focusOnMount={navigated}
            label={openedHandler === undefined ? t('partnerships.gridLabel') : t('items.gridLabel', { name: openedHandler.name })}
            rows={rows}
            selectedKey={selectedKey}
            onSelect={onSelect}
            onOpen={onOpen}
            renderActions={(row) => <RowActions row={row} />}
          />
        )}
      </div>
      {propertiesOpen && target !== null && <PropertiesDialog target={target} onClose={() => setPropertiesOpen(false)} />}
    </section>
  );
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
