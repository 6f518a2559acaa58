import { useEffect, useRef, type RefObject } from 'react';
import { useAppStore } from '../../store/store.ts';
import { resolveTarget, type ActionTarget } from './partnershipActions.ts';

/**
 * The selected handler or item for a dialog about it (Properties, Schedule, Browse), and the native `<dialog>` it
 * shows in: opened modal on mount (focus trapping, Escape to close and an inert background without extra code),
 * and closed when the selection goes away (deleted elsewhere). With `needsItem` a handler alone is not enough.
 */
export function useTargetDialog(onClose: () => void, needsItem = false): { readonly dialog: RefObject<HTMLDialogElement | null>; readonly target: ActionTarget | null } {
  const dialog = useRef<HTMLDialogElement>(null);
  const handlers = useAppStore((state) => state.handlers);
  const selection = useAppStore((state) => state.selection);
  // Derived in render: a selector returning a fresh object would never settle.
  const resolved = resolveTarget(handlers, selection);
  const target = needsItem && resolved?.item == null ? null : resolved;
  const present = target !== null;
  useEffect(() => {
    const element = dialog.current;
    if (present && element !== null && !element.open) element.showModal();
  }, [present]);
  useEffect(() => {
    if (!present) onClose();
  }, [present, onClose]);
  return { dialog, target };
}
