/**
 * Electron's security checklist, item by item, where main/windowSecurity.test.ts, appProtocol.test.ts, ipc.test.ts
 * and packaging.test.ts leave off: properties over any URL for window.open and navigation, the exact set of web
 * preferences, and source-level checks of main/ for what only Electron itself could exercise (every window
 * hardened, the sandbox enabled for the whole app, the app scheme's privileges, nothing loaded from file: or
 * http:, one IPC entry point, one openExternal).
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appOrigin, contentSecurityPolicy, hardenedWebPreferences, hardenWebContents, isAppUrl, type WebContentsLike } from './windowSecurity.ts';

const here = import.meta.dirname;
/** Source code without its comments (which may well mention what the code must never do). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}
/** The shipped main-process sources (tests and fakes aside), by file name. */
const sources = new Map(
  fs
    .readdirSync(here, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.startsWith('testing'))
    .map((file) => [file, withoutComments(fs.readFileSync(path.join(here, file), 'utf8'))]),
);
const occurrences = (pattern: RegExp) => [...sources].flatMap(([file, text]) => [...text.matchAll(pattern)].map((match) => ({ file, text: match[0], at: match.index ?? 0 })));

/** A WebContents fake recording what hardenWebContents installs. */
function hardenedFake() {
  const listeners = new Map<string, (event: { preventDefault(): void; url: string }) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents: WebContentsLike = {
    setWindowOpenHandler: (handler) => void (openHandler = handler),
    on: (event: string, listener: (event: { preventDefault(): void; url: string }) => void) => listeners.set(event, listener),
    session: { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined },
  };
  const opened: string[] = [];
  hardenWebContents(contents, (url) => opened.push(url));
  const prevented = (event: string, url: string): boolean => {
    let blocked = false;
    listeners.get(event)?.({ url, preventDefault: () => (blocked = true) });
    return blocked;
  };
  return { open: (url: string) => openHandler?.({ url }), opened, prevented };
}

const anyUrl = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.string(),
  fc.constantFrom('javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<script>', 'app://sync-center/index.html', 'app://sync-center.evil.example/', 'smb://host/share', 'ms-settings:', 'vbscript:x', 'chrome://settings', 'HTTPS://EXAMPLE.ORG/', 'http://127.0.0.1:9/'),
);

describe('Electron security checklist', () => {
  it('window.open: every window is denied; only http(s) links reach the system browser (any URL)', () => {
    const window = hardenedFake();
    fc.assert(
      fc.property(anyUrl, (url) => {
        const before = window.opened.length;
        expect(window.open(url)).toEqual({ action: 'deny' });
        const handedOn = window.opened.length > before;
        expect(handedOn).toBe(['http:', 'https:'].includes(URL.parse(url)?.protocol ?? ''));
      }),
      { numRuns: 2000 },
    );
  });

  it('navigation and redirects are blocked exactly off the app origin (any URL)', () => {
    const window = hardenedFake();
    fc.assert(
      fc.property(anyUrl, fc.constantFrom('will-navigate', 'will-redirect'), (url, event) => {
        expect(window.prevented(event, url)).toBe(!isAppUrl(url));
      }),
      { numRuns: 2000 },
    );
  });

  it('web preferences: exactly the hardened set, nothing that loosens it', () => {
    expect(hardenedWebPreferences('/preload.cjs')).toEqual({
      preload: '/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });
  });

  it('every window, view and webContents in main/ is created with the hardened preferences and guards', () => {
    const windows = occurrences(/new (BrowserWindow|BrowserView|WebContentsView)\(/g);
    expect(windows.length).toBeGreaterThan(0);
    for (const { file, at } of windows) {
      const call = sources.get(file)?.slice(at, at + 800) ?? '';
      expect(call, `${file}: a window without hardenedWebPreferences`).toMatch(/webPreferences: hardenedWebPreferences\(/);
      expect(call, `${file}: a window without hardenWebContents`).toMatch(/hardenWebContents\(\w+\.webContents/);
    }
  });

  it('the sandbox is enabled for the whole app, before it is ready', () => {
    const main = sources.get('main.ts') ?? '';
    const enable = main.indexOf('app.enableSandbox();');
    expect(enable).toBeGreaterThan(0);
    expect(enable).toBeLessThan(main.indexOf('await app.whenReady()'));
  });

  it('the app:// scheme is standard and secure, with no privilege that bypasses the CSP or CORS', () => {
    const registrations = occurrences(/registerSchemesAsPrivileged\(\[[^\]]*\]\)/g);
    expect(registrations).toHaveLength(1);
    const privileges = registrations[0]?.text ?? '';
    expect(privileges).toMatch(/standard: true/);
    expect(privileges).toMatch(/secure: true/);
    expect(privileges).not.toMatch(/bypassCSP|corsEnabled|allowServiceWorkers|codeCache/);
  });

  it('windows load only the app origin: nothing from file:, http: or a computed remote URL', () => {
    const loads = occurrences(/\.(loadURL|loadFile)\([^)]*\)/g);
    expect(loads.length).toBeGreaterThan(0);
    for (const { file, text } of loads) expect(text, file).toMatch(/^\.loadURL\(`\$\{appOrigin\}\//);
    expect(appOrigin).toBe('app://sync-center');
    expect(occurrences(/['"`]file:\/\//g)).toEqual([]);
  });

  it('one IPC entry point (main/ipc.ts) and one path to the system browser (the window-open handler)', () => {
    expect([...new Set(occurrences(/ipcMain\.(handle|on|once|handleOnce)\(/g).map(({ file }) => file))]).toEqual(['ipc.ts']);
    expect(occurrences(/shell\.openExternal\(/g).map(({ file, text }) => `${file} ${text}`)).toEqual(['mainWindow.ts shell.openExternal(']);
    expect(sources.get('mainWindow.ts')).toMatch(/hardenWebContents\(window\.webContents, \(url\) => void shell\.openExternal\(url\)\)/);
  });

  it('no remote module, no Node in the page, no webview, no eval of code in main/', () => {
    expect(occurrences(/@electron\/remote|enableRemoteModule|nodeIntegration: true|webviewTag: true|contextIsolation: false|sandbox: false|webSecurity: false/g)).toEqual([]);
    expect(occurrences(/\beval\(|new Function\(|executeJavaScript\(/g)).toEqual([]);
  });

  it('the CSP allows only the app itself: no wildcard, no remote scheme, no unsafe source', () => {
    const directives = new Map(contentSecurityPolicy.split(';').map((directive) => directive.trim().split(/\s+/)).map(([name, ...values]) => [name ?? '', values]));
    for (const name of ['default-src', 'script-src', 'style-src', 'connect-src', 'object-src', 'base-uri', 'form-action', 'frame-ancestors']) expect(directives.has(name), name).toBe(true);
    for (const [name, values] of directives) {
      for (const value of values) expect(["'self'", "'none'", ...(name === 'img-src' ? ['data:'] : [])], `${name} ${value}`).toContain(value);
    }
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });
});
