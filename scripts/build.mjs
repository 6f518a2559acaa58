#!/usr/bin/env node
// Builds every side into out/: the renderer with Vite, the main process and the preload with esbuild.
// `node scripts/build.mjs [renderer|main|preload|core]...` builds a subset; no argument builds all.
// Why two tools: Vite owns the browser bundle (React, CSS, assets); esbuild bundles the Node-side entry points
// in milliseconds and lets the sandboxed preload become the single CommonJS file Electron requires.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = (...segments) => path.join(root, 'out', ...segments);

const nodeSide = { bundle: true, platform: 'node', target: 'node24', sourcemap: true, logLevel: 'warning', absWorkingDir: root };

const targets = {
  renderer: () => {
    const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) throw new Error('The renderer build failed (see above).');
  },
  // The main process keeps node_modules external: electron-builder ships `dependencies` beside it.
  main: () => build({ ...nodeSide, entryPoints: { main: 'main/main.ts' }, outdir: out('main'), format: 'esm', packages: 'external' }),
  // The core's worker entry points run in worker_threads; they are bundled beside main so `new URL(..., import.meta.url)` finds them.
  core: () => build({ ...nodeSide, entryPoints: coreEntries(), outdir: out('main'), format: 'esm', packages: 'external', entryNames: '[name]' }),
  // Sandboxed preloads cannot require anything but electron: everything else is bundled in.
  preload: () => build({ ...nodeSide, minify: true, entryPoints: { preload: 'preload/preload.ts' }, outdir: out('preload'), format: 'cjs', outExtension: { '.js': '.cjs' }, external: ['electron'] }),
};

function coreEntries() {
  return {};
}

const requested = process.argv.slice(2);
const names = requested.length > 0 ? requested : ['renderer', 'main', 'core', 'preload'];
for (const name of names) {
  const target = targets[name];
  if (target === undefined) {
    console.error(`Unknown build target "${name}"; choose from ${Object.keys(targets).join(', ')}.`);
    process.exit(2);
  }
  await target();
}
console.log(`Built ${names.join(', ')} into out/.`);
