/**
 * Sessions run by another process (the background-engine pattern of CLSID_SyncMgrClient): the process reports
 * through the control API and reads its cancel request in each answer, as ReportProgress returns it.
 */
import type { CallRequest, CallResponse } from '../control/contract.ts';
import { ControlError } from '../control/result.ts';
import type { HandlerRegistry } from '../runtime/handlerRegistry.ts';
import { hostText } from '../runtime/hostText.ts';
import type { CancelRequest } from '../runtime/syncHandler.ts';
import type { SessionManager } from './sessionManager.ts';

/** Opens or continues an external session, applies its reports, and answers the cancel request. */
export function reportSession(registry: HandlerRegistry, sessions: SessionManager, request: CallRequest<'reportSession'>): CallResponse<'reportSession'> {
  registry.get(request.handlerId);
  const sessionId = request.sessionId ?? sessions.openExternal(request.handlerId, [...new Set(request.itemIds ?? [])]);
  const feed = (message: Parameters<SessionManager['reportExternal']>[1]): void => {
    const session = sessions.reportExternal(sessionId, message);
    if (session === undefined || session.handlerId !== request.handlerId) {
      throw new ControlError('NOT_FOUND', hostText()('error.noSession', { sessionId, handlerId: request.handlerId }));
    }
  };
  if (sessions.externalHandlerOf(sessionId) !== request.handlerId) {
    throw new ControlError('NOT_FOUND', hostText()('error.noSession', { sessionId, handlerId: request.handlerId }));
  }
  if (request.sessionId !== undefined && (request.itemIds?.length ?? 0) > 0) feed({ type: 'addItems', itemIds: [...request.itemIds!] });
  let cancelRequest: CancelRequest = sessions.cancelRequestOf(sessionId);
  for (const progress of request.progress ?? []) {
    feed({ type: 'progress', ...progress });
    cancelRequest = worst(cancelRequest, sessions.cancelRequestOf(sessionId, progress.itemId));
  }
  for (const event of request.events ?? []) feed({ type: 'event', event });
  if (request.finished === true) feed({ type: 'done' });
  return { sessionId, cancelRequest };
}

function worst(a: CancelRequest, b: CancelRequest): CancelRequest {
  if (a === 'cancelAll' || b === 'cancelAll') return 'cancelAll';
  return a === 'cancelItem' || b === 'cancelItem' ? 'cancelItem' : 'none';
}
