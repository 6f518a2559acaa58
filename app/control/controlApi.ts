/**
 * The control-API facade that every transport calls. It maps contract calls one to one onto the host core
 * (runtime + session manager + stores); it owns no state of its own.
 */
import type { ControlApi, ControlCalls } from './contract.ts';
import type { EventBus } from './eventBus.ts';
import type { HostInfo } from './schemas.ts';

/** What the facade needs from the host core: every call but getHostInfo, plus host info and the event bus. */
export type HostCore = Omit<ControlCalls, 'getHostInfo'> & {
  readonly info: Omit<HostInfo, 'transport'>;
  readonly events: EventBus;
};

/** Creates the facade over a host core. `transport` says how this instance is reached. */
export function createControlApi(core: HostCore, transport: HostInfo['transport'] = 'inProcess'): ControlApi {
  const { info, events, ...calls } = core;
  const api: ControlApi = {
    ...calls,
    getHostInfo: async () => ({ ...info, transport }),
    subscribe: (listener) => events.subscribe(listener),
  };
  return Object.freeze(api);
}
