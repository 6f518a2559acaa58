import { useEffect, useState } from 'react';
import type { ControlApi } from '../../../app/control/contract.ts';
import type { ItemDetails } from '../../../app/control/schemas.ts';
import { errorMessage } from '../../api/ApiError.ts';

/** An item's details as a dialog sees them while they load. */
export type DetailsState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly details: ItemDetails }
  | { readonly status: 'failed'; readonly message: string };

/**
 * Reads an item's details (locations, options, last session) from the host, again whenever `version` changes (the
 * item's last sync time, so a sync ending while Properties is open shows its statistics). Null item: nothing to read.
 */
export function useItemDetails(api: ControlApi, handlerId: string, itemId: string | null, version: unknown): DetailsState | null {
  // The answer remembers which item it is for, so a different item reads as loading until its own answer comes.
  const [answer, setAnswer] = useState<{ readonly itemId: string; readonly state: DetailsState } | null>(null);
  useEffect(() => {
    if (itemId === null) return undefined;
    let current = true;
    api.getItemDetails({ handlerId, itemId }).then(
      (details) => current && setAnswer({ itemId, state: { status: 'ready', details } }),
      (error: unknown) => current && setAnswer({ itemId, state: { status: 'failed', message: errorMessage(error) } }),
    );
    return () => {
      current = false;
    };
  }, [api, handlerId, itemId, version]);
  if (itemId === null) return null;
  return answer?.itemId === itemId ? answer.state : { status: 'loading' };
}

/**
 * Which words name a side of an item: the setup form's for the built-in pairs, generic ones otherwise. `short` is
 * the form used inside a sentence ("Received by the first folder").
 */
export function sideLabelKey(handlerId: string, side: 'left' | 'right' | null, short = false): string {
  if (side === null) return 'browse.location';
  if (handlerId === 'folders' || handlerId === 'xml') return `setup.kinds.${handlerId}.${side === 'left' ? 'first' : 'second'}${short ? 'Short' : ''}`;
  return `browse.${short ? 'sideShort' : 'side'}.${side}`;
}
