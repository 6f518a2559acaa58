/**
 * The control-API facade that every transport calls. It translates contract calls into calls on the host core
 * (runtime + session manager); it owns no state of its own.
 */
import type { ControlApi } from './contract.ts';
import type { EventBus } from './eventBus.ts';
import type { HandlerSummary, HostInfo } from './schemas.ts';

/** What the facade needs from the host core. Grows with the contract. */
export interface HostCore {
  readonly info: Omit<HostInfo, 'transport'>;
  readonly events: EventBus;
  listHandlers(): HandlerSummary[];
}

/** Creates the facade over a host core. `transport` says how this instance is reached. */
export function createControlApi(core: HostCore, transport: HostInfo['transport'] = 'inProcess'): ControlApi {
  const api: ControlApi = {
    getHostInfo: async () => ({ ...core.info, transport }),
    listHandlers: async () => core.listHandlers(),
    subscribe: (listener) => core.events.subscribe(listener),
  };
  return Object.freeze(api);
}
