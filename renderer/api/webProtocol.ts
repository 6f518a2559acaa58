import type { webProtocol as contractWebProtocol } from '../../app/control/contract.ts';

/**
 * The renderer's copy of the web host protocol constants. The page may not import the contract at runtime
 * (it would pull zod in), so the values are repeated here and `satisfies` checks them against the contract's
 * literal types: if the host changes a path or prefix, this file stops compiling.
 */
export const webProtocol = {
  callPath: (name: string): string => `/api/call/${encodeURIComponent(name)}`,
  eventsPath: '/api/events',
  tokenSubprotocolPrefix: 'synccenter.',
  tokenFragmentKey: 'token',
} as const satisfies Pick<typeof contractWebProtocol, 'callPath' | 'eventsPath' | 'tokenSubprotocolPrefix' | 'tokenFragmentKey'>;

/** Where the web window keeps its token for reloads: per tab, gone when the tab closes. */
export const tokenStorageKey = 'synccenter.token';
