/**
 * Serves the built renderer from `app://sync-center/` so the window never loads `file://` (which would grant
 * the page file-system-wide origin) and every response carries the CSP.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { appHost, contentSecurityPolicy } from './windowSecurity.ts';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * Maps an app:// URL to a file inside `rendererDir`, or null when the URL is for another host or escapes the
 * folder. Parsed, never prefix-matched.
 */
export function resolveAppFile(rendererDir: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.host !== appHost) return null;
  const relative = decodeURIComponent(parsed.pathname).replace(/^\/+/, '') || 'index.html';
  if (relative.includes('\0')) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, relative);
  const inside = path.relative(root, file);
  return inside === '' || inside.startsWith('..') || path.isAbsolute(inside) ? null : file;
}

/** Answers one app:// request (the handler given to `protocol.handle`). */
export async function serveAppRequest(rendererDir: string, request: { url: string }): Promise<Response> {
  const file = resolveAppFile(rendererDir, request.url);
  if (file === null) return new Response('Not found', { status: 404 });
  try {
    const body = await readFile(file);
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': contentSecurityPolicy,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}
