import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, hardenWebContents, hardenedWebPreferences, isAppUrl, type WebContentsLike } from './windowSecurity.ts';

describe('isAppUrl', () => {
  it('accepts the app origin only, by parsing', () => {
    expect(isAppUrl('app://sync-center/index.html')).toBe(true);
    expect(isAppUrl('app://sync-center/')).toBe(true);
    for (const url of ['app://sync-center.evil.example/', 'app://evil.example/sync-center', 'https://sync-center/', 'app://user:pw@sync-center/', 'javascript:alert(1)', 'not a url', 'file:///app/sync-center']) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});

describe('hardened windows', () => {
  it('sets every security preference explicitly', () => {
    expect(hardenedWebPreferences('/p.cjs')).toMatchObject({
      preload: '/p.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('denies window.open, blocks off-origin navigation and webviews, refuses permissions', () => {
    const listeners = new Map<string, (event: { preventDefault(): void; url: string }) => void>();
    let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
    let permissionHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
    let checkHandler: (() => boolean) | undefined;
    const contents: WebContentsLike = {
      setWindowOpenHandler: (handler) => {
        openHandler = handler;
      },
      on: (event: string, listener: (event: { preventDefault(): void; url: string }) => void) => listeners.set(event, listener),
      session: {
        setPermissionRequestHandler: (handler) => {
          permissionHandler = handler;
        },
        setPermissionCheckHandler: (handler) => {
          checkHandler = handler;
        },
      },
    };
    const opened: string[] = [];
    hardenWebContents(contents, (url) => opened.push(url));

    expect(openHandler?.({ url: 'https://example.org/help' })).toEqual({ action: 'deny' });
    expect(openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.org/help']);

    const navigate = (event: string, url: string): boolean => {
      let prevented = false;
      listeners.get(event)?.({ url, preventDefault: () => (prevented = true) });
      return prevented;
    };
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate('will-redirect', 'app://sync-center.evil.example/')).toBe(true);
    expect(navigate('will-navigate', 'app://sync-center/index.html#/conflicts')).toBe(false);
    expect(navigate('will-attach-webview', 'about:blank')).toBe(true);

    let granted: boolean | undefined;
    permissionHandler?.(null, 'media', (value) => (granted = value));
    expect(granted).toBe(false);
    expect(checkHandler?.()).toBe(false);
  });

  it('has a CSP with no unsafe sources', () => {
    expect(contentSecurityPolicy).toContain("default-src 'self'");
    expect(contentSecurityPolicy).toContain("object-src 'none'");
    expect(contentSecurityPolicy).not.toMatch(/unsafe-(inline|eval)/);
  });
});
