import { describe, expect, it, vi } from 'vitest';
import { forgetToken, takeToken, tokenFromFragment, type TokenEnvironment } from './token.ts';
import { tokenStorageKey } from './webProtocol.ts';

function memory(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
    values,
  };
}

function env(hash: string, storage = memory()) {
  const replaceState = vi.fn<History['replaceState']>();
  const environment: TokenEnvironment = { location: { hash, pathname: '/index.html', search: '?x=1' }, history: { state: null, replaceState }, storage };
  return { ...environment, history: { state: null, replaceState } };
}

describe('takeToken', () => {
  it('takes the token from the fragment, keeps it for reloads and strips it from the address bar', () => {
    const storage = memory();
    const environment = env('#token=s3cret', storage);
    expect(takeToken(environment)).toBe('s3cret');
    expect(storage.values.get(tokenStorageKey)).toBe('s3cret');
    expect(environment.history.replaceState).toHaveBeenCalledWith(null, '', '/index.html?x=1');
  });

  it('falls back to the stored token after a reload', () => {
    const environment = env('', memory({ [tokenStorageKey]: 'kept' }));
    expect(takeToken(environment)).toBe('kept');
    expect(environment.history.replaceState).not.toHaveBeenCalled();
  });

  it('returns null without fragment or storage', () => {
    expect(takeToken({ ...env(''), storage: null })).toBeNull();
  });

  it('survives storage that throws', () => {
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(takeToken({ ...env('#token=t'), storage: throwing })).toBe('t');
    expect(takeToken({ ...env(''), storage: throwing })).toBeNull();
    expect(() => forgetToken({ storage: throwing })).not.toThrow();
  });

  it('forgets a refused token', () => {
    const storage = memory({ [tokenStorageKey]: 'old' });
    forgetToken({ storage });
    expect(storage.values.has(tokenStorageKey)).toBe(false);
  });
});

describe('tokenFromFragment', () => {
  it('reads the token among other fragment parameters', () => {
    expect(tokenFromFragment('#a=1&token=abc')).toBe('abc');
    expect(tokenFromFragment('#token=')).toBeNull();
    expect(tokenFromFragment('')).toBeNull();
  });
});
