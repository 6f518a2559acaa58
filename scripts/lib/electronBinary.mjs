// Finds the Electron binary without triggering the `electron` package's download-on-require.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @returns {{ path: string } | { path: null, reason: string }} */
export function findElectronBinary() {
  const pkg = path.join(root, 'node_modules', 'electron');
  if (!existsSync(pkg)) return { path: null, reason: 'the electron package is not installed (run npm ci)' };
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = path.join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : process.platform === 'win32' ? 'electron.exe' : 'electron';
  const binary = override ? path.join(override, relative) : path.join(pkg, 'dist', relative);
  if (existsSync(binary)) return { path: binary };
  return { path: null, reason: `no Electron binary at ${path.relative(root, binary)} (its download host is unreachable here; set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron 45)` };
}
