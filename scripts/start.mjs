#!/usr/bin/env node
// `npm start`: launches the Electron app; where no Electron binary exists, says so in one line and serves the
// same window through the local web host instead (`npm run start:web`).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './lib/electronBinary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electron = findElectronBinary();
const child = electron.path
  ? spawn(electron.path, [path.join(root, 'out', 'main', 'main.js'), ...process.argv.slice(2)], { stdio: 'inherit' })
  : (console.log(`Electron is unavailable here (${electron.reason}); serving the Sync Center window through the local web host instead.`),
    spawn(process.execPath, [path.join(root, 'app', 'cli', 'main.ts'), 'serve', ...process.argv.slice(2)], { stdio: 'inherit' }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 0)));
