import { tokenStorageKey, webProtocol } from './webProtocol.ts';

/** The parts of `window` the token logic touches, injected so tests need no DOM. */
export interface TokenEnvironment {
  readonly location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  readonly history: Pick<History, 'replaceState' | 'state'>;
  readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
}

/**
 * Finds the web host token. It arrives once in the URL fragment (`#token=...`, which browsers never send to a
 * server); we move it to sessionStorage so a reload keeps working, and strip it from the address bar so it is
 * not left in history, bookmarks or screenshots. Returns null when the window was not opened from the serve URL.
 */
export function takeToken(env: TokenEnvironment): string | null {
  const fromFragment = tokenFromFragment(env.location.hash);
  if (fromFragment !== null) {
    safelyStore(env, fromFragment);
    env.history.replaceState(env.history.state, '', `${env.location.pathname}${env.location.search}`);
    return fromFragment;
  }
  try {
    const stored = env.storage?.getItem(tokenStorageKey) ?? null;
    return stored !== null && stored.length > 0 ? stored : null;
  } catch {
    return null;
  }
}

/** Forgets a token the host refused, so the next load shows the "open from serve URL" screen. */
export function forgetToken(env: Pick<TokenEnvironment, 'storage'>): void {
  try {
    env.storage?.removeItem(tokenStorageKey);
  } catch {
    // Storage can be disabled by policy; there is then nothing to forget.
  }
}

/** Reads `token` from a fragment such as `#token=abc` or `#a=1&token=abc`. */
export function tokenFromFragment(hash: string): string | null {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (fragment.length === 0) return null;
  const token = new URLSearchParams(fragment).get(webProtocol.tokenFragmentKey);
  return token !== null && token.length > 0 ? token : null;
}

function safelyStore(env: TokenEnvironment, token: string): void {
  try {
    env.storage?.setItem(tokenStorageKey, token);
  } catch {
    // Without storage the token still works for this page load; a reload will ask for the serve URL again.
  }
}
