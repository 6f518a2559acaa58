import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfirmedAction } from './partnershipActions.ts';

/**
 * Asks before a command the handler or item wants confirmed (SYNCMGR_*_QUERY_BEFORE_*): what will happen, and what
 * will not (deleting a partnership leaves its files where they are). Cancel has the focus, so Enter never deletes
 * by accident; Escape cancels.
 */
export function ConfirmDialog({ action, name, onConfirm, onClose }: { readonly action: ConfirmedAction; readonly name: string; readonly onConfirm: () => void; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="dialog" role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-body" onClose={onClose}>
      <header className="dialog-header">
        <h2 id="confirm-title">{t(`confirm.${action}.title`, { name })}</h2>
      </header>
      <p id="confirm-body" className="dialog-body">
        {t(`confirm.${action}.body`)}
      </p>
      <form method="dialog" className="dialog-actions spread-end">
        <button type="submit" className="button" autoFocus>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className={action === 'delete' ? 'button danger' : 'button primary'}
          onClick={() => {
            onConfirm();
            dialog.current?.close();
          }}
        >
          {t(`confirm.${action}.confirm`)}
        </button>
      </form>
    </dialog>
  );
}
