import type { ControlApi } from '../../../app/control/contract.ts';
import type { HandlerSummary, ItemSummary } from '../../../app/control/schemas.ts';
import { excludePatterns, type PartnershipDraft } from './partnershipDraft.ts';

/**
 * The registered handler that sets up a kind of partnership: the built-in handlers are registered under the
 * kind's name (`folders`, `xml`). Null when this host has no such handler, and the form says so.
 */
export function setupHandlerId(handlers: readonly HandlerSummary[], kind: PartnershipDraft['kind']): string | null {
  return handlers.find((handler) => handler.id === kind)?.id ?? null;
}

/** Creates the partnership through the handler's setup entry: its two sides, name, exclusions and conflict policy. */
export function createPartnership(api: ControlApi, handlerId: string, draft: PartnershipDraft): Promise<ItemSummary> {
  const exclude = excludePatterns(draft.excludes);
  return api.addItem({
    handlerId,
    args: [draft.first.trim(), draft.second.trim()],
    name: draft.name.trim(),
    ...(exclude.length > 0 ? { exclude } : {}),
    conflictPolicy: draft.policy,
  });
}
