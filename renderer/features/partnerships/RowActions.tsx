import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/ApiContext.tsx';
import { errorMessage } from '../../api/ApiError.ts';
import { Icon } from '../../components/Icon.tsx';
import { findHandler, findItem } from '../../store/handlersSlice.ts';
import { appStore } from '../../store/store.ts';
import { actionCalls, allows } from './partnershipActions.ts';
import type { SyncRow } from './syncRows.ts';

/**
 * The Sync / Stop button at the end of a row, named after the row ("Sync Documents") so several of them stay
 * distinguishable to a screen reader. Rendered only when the host offers the call and the entry's policies allow it.
 */
export function RowActions({ row }: { readonly row: SyncRow }) {
  const { t } = useTranslation();
  const api = useApi();
  const action = row.active ? 'stop' : 'sync';
  const call = actionCalls[action];
  if (call === undefined || row.status === 'disabled' || row.status === 'disconnected') return null;
  const state = appStore.getState();
  const handler = findHandler(state, row.handlerId);
  const item = row.itemId === null ? null : (findItem(state, row.handlerId, row.itemId) ?? null);
  const entry = item ?? handler;
  if (entry !== undefined && !allows(entry, action === 'sync' ? 'canSync' : 'canStop')) return null;
  const label = t(`actions.${action}.rowLabel`, { name: row.name });
  return (
    <button
      type="button"
      className="icon-button row-action"
      aria-label={label}
      title={label}
      onClick={(event) => {
        event.stopPropagation();
        if (handler === undefined) return;
        call(api, { handler, item }).catch((error: unknown) => state.showNotice('notice.actionFailed', { action: t(`actions.${action}.label`), message: errorMessage(error) }));
      }}
    >
      <Icon name={action} />
    </button>
  );
}
