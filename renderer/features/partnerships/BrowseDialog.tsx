import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemLocation } from '../../../app/control/schemas.ts';
import { useApi, useOpenLocation } from '../../api/ApiContext.tsx';
import { errorMessage } from '../../api/ApiError.ts';
import { DialogHeader } from '../../components/DialogHeader.tsx';
import { Icon } from '../../components/Icon.tsx';
import { sideLabelKey, useItemDetails } from './useItemDetails.ts';
import { useTargetDialog } from './useTargetDialog.ts';

/**
 * Browse: where the selected item's data lives. In Electron each place opens in the system's file manager (main
 * checks the path is the item's own); in a browser, which cannot open folders, each path is there to copy.
 */
export function BrowseDialog({ onClose }: { readonly onClose: () => void }) {
  const { dialog, target } = useTargetDialog(onClose, true);
  if (target?.item == null) return null;
  return (
    <dialog ref={dialog} className="dialog browse-dialog" aria-labelledby="browse-title" aria-describedby="browse-intro" onClose={onClose}>
      <BrowseContent handlerId={target.handler.id} itemId={target.item.id} itemName={target.item.name} />
    </dialog>
  );
}

function BrowseContent({ handlerId, itemId, itemName }: { readonly handlerId: string; readonly itemId: string; readonly itemName: string }) {
  const { t } = useTranslation();
  const openLocation = useOpenLocation();
  const state = useItemDetails(useApi(), handlerId, itemId, null);
  const [status, setStatus] = useState<{ readonly text: string; readonly error: boolean } | null>(null);

  const open = (location: ItemLocation): void => {
    if (openLocation === undefined) return;
    openLocation(handlerId, itemId, location.path).then(
      () => setStatus({ text: t('browse.opened', { path: location.path }), error: false }),
      (error: unknown) => setStatus({ text: t('browse.openFailed', { message: errorMessage(error) }), error: true }),
    );
  };
  const copy = (location: ItemLocation): void => {
    void copyText(location.path).then((copied) =>
      setStatus(copied ? { text: t('browse.copied', { path: location.path }), error: false } : { text: t('browse.copyFailed'), error: true }),
    );
  };

  return (
    <>
      <DialogHeader icon="folder" titleId="browse-title" title={t('browse.title', { name: itemName })}>
        <p id="browse-intro" className="field-hint">
          {openLocation === undefined ? t('browse.introWeb') : t('browse.intro')}
        </p>
      </DialogHeader>
      <div className="dialog-body browse-body">
        {state?.status === 'loading' && <p>{t('browse.loading')}</p>}
        {state?.status === 'failed' && (
          <p className="field-error" role="alert">
            {t('browse.loadFailed', { message: state.message })}
          </p>
        )}
        {state?.status === 'ready' && state.details.locations.length === 0 && <p>{t('browse.none')}</p>}
        {state?.status === 'ready' &&
          state.details.locations.map((location) => {
            const label = t(sideLabelKey(handlerId, location.side));
            const named = location.side === null ? label : t(sideLabelKey(handlerId, location.side, true));
            return (
              <div key={`${location.side ?? ''}:${location.path}`} className="field browse-location">
                <label htmlFor={`browse-${location.side ?? 'only'}`}>{label}</label>
                <div className="path-input">
                  <input id={`browse-${location.side ?? 'only'}`} readOnly value={location.path} spellCheck={false} onFocus={(event) => event.currentTarget.select()} />
                  {openLocation !== undefined && (
                    <button type="button" className="button" aria-label={t('browse.openLabel', { side: named })} onClick={() => open(location)}>
                      <Icon name="folder" size={16} />
                      {t('browse.open')}
                    </button>
                  )}
                  <button type="button" className="button" aria-label={t('browse.copyLabel', { side: named })} onClick={() => copy(location)}>
                    {t('browse.copy')}
                  </button>
                </div>
              </div>
            );
          })}
        <p className={status?.error === true ? 'field-error' : 'field-hint'} role="status" aria-live="polite">
          {status?.text ?? ''}
        </p>
      </div>
      <form method="dialog" className="dialog-actions">
        <button type="submit" className="button primary" autoFocus>
          {t('common.close')}
        </button>
      </form>
    </>
  );
}

/** Copies through the Clipboard API; false where the page may not (the path stays selectable in its field). */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
