/**
 * The `SyncSession` a handler receives inside its worker. Reports are posted to the host; the cancel request is
 * read synchronously from shared memory and queued items arrive on a port that is drained synchronously, so no
 * method ever waits for the host.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { ItemSlots, readCancel, type SessionMessage } from './sessionProtocol.ts';
import { limits, type CancelRequest, type ConflictReport, type EventReport, type ProgressStatus, type ProposedItem, type SyncSession } from './syncHandler.ts';

/** Creates the session over a post function, the shared cancel buffer and the port carrying queued item ids. */
export function createWorkerSyncSession(
  post: (message: SessionMessage) => void,
  cancelBuffer: SharedArrayBuffer,
  queuedPort: MessagePort | null,
  itemIds: readonly string[],
): SyncSession {
  const cancel = new Int32Array(cancelBuffer);
  const slots = new ItemSlots(itemIds);
  let queued: string[] = [];
  const drainQueued = (): void => {
    for (let message = queuedPort && receiveMessageOnPort(queuedPort); message; message = queuedPort && receiveMessageOnPort(queuedPort)) {
      queued = (message.message as string[]).filter((id) => !slots.has(id));
    }
  };
  return {
    reportProgress(itemId: string, text: string, status: ProgressStatus, current: number, max: number): CancelRequest {
      post({ type: 'progress', itemId, text: clip(text), status, current: count(current), max: count(max) });
      return readCancel(cancel, slots.slot(itemId));
    },
    setHandlerProgressText(text: string): CancelRequest {
      post({ type: 'handlerText', text: clip(text) });
      return readCancel(cancel, undefined);
    },
    reportEvent: (event: EventReport) => post({ type: 'event', event: { ...event } }),
    canContinue: (itemId: string) => readCancel(cancel, slots.slot(itemId)) === 'none',
    queryForAdditionalItems(): string[] {
      drainQueued();
      return [...queued];
    },
    addItemToSession(ids: readonly string[]): void {
      const fresh = [...new Set(ids)].filter((id) => !slots.has(id));
      slots.add(fresh);
      queued = queued.filter((id) => !fresh.includes(id));
      if (fresh.length > 0) post({ type: 'addItems', itemIds: fresh });
    },
    proposeItem: (item: ProposedItem) => post({ type: 'propose', item: { ...item } }),
    commitItem: (itemId: string) => post({ type: 'commit', itemId }),
    reportConflict: (conflict: ConflictReport) => post({ type: 'conflict', conflict: { ...conflict, versions: [...conflict.versions] } }),
    reportManualSync: () => post({ type: 'manual' }),
  };
}

/** Progress text is at most 260 characters (MAX_SYNCMGR_PROGRESSTEXT); longer text is cut, not refused. */
function clip(text: string): string {
  return String(text).slice(0, limits.progressText);
}

function count(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
