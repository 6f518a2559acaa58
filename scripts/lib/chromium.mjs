// Finds a Chromium for the web end-to-end tests: $SYNCCENTER_CHROMIUM, the system's, Playwright's cache, or
// (as root, with apt-get) installs Debian's. Says exactly what is missing when it cannot.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const systemCandidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

function playwrightCache() {
  const cache = process.env.PLAYWRIGHT_BROWSERS_PATH ?? path.join(os.homedir(), '.cache', 'ms-playwright');
  if (!existsSync(cache)) return [];
  return readdirSync(cache)
    .filter((name) => name.startsWith('chromium'))
    .flatMap((name) => ['chrome-linux/chrome', 'chrome-linux64/chrome', 'chrome-mac/Chromium.app/Contents/MacOS/Chromium'].map((bin) => path.join(cache, name, bin)));
}

export function findChromium() {
  const fromEnv = process.env.SYNCCENTER_CHROMIUM;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return [...systemCandidates, ...playwrightCache()].find((candidate) => existsSync(candidate)) ?? null;
}

/** @returns {{ path: string } | { path: null, reason: string }} */
export function ensureChromium({ install = true } = {}) {
  const found = findChromium();
  if (found) return { path: found };
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (install && isRoot && hasApt) {
    console.log('No Chromium found; installing Debian\'s chromium package (apt-get) ...');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const setup = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env }) : update;
    const installed = findChromium();
    if (setup.status === 0 && installed) return { path: installed };
  }
  const how = isRoot && hasApt ? 'apt-get install chromium failed (see above)' : hasApt ? 'run: sudo apt-get install -y chromium' : 'install Chromium or Chrome, or set SYNCCENTER_CHROMIUM to its executable';
  return { path: null, reason: `No Chromium for the web end-to-end tests: looked at $SYNCCENTER_CHROMIUM, ${systemCandidates.join(', ')} and Playwright's cache; ${how}.` };
}
