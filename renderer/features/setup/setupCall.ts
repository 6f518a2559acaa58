import type { ControlApi } from '../../../app/control/contract.ts';
import type { PartnershipDraft } from './partnershipDraft.ts';

/**
 * The host call that creates a partnership from a checked draft, or undefined while the contract has none; the
 * form then explains that this host cannot add partnerships instead of failing on submit.
 */
export const createPartnership: ((api: ControlApi, draft: PartnershipDraft) => Promise<unknown>) | undefined = undefined;
