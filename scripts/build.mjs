#!/usr/bin/env node
// Builds every side into out/: the renderer with Vite, app/ and main/ with tsc (file by file), the preload with esbuild.
// `node scripts/build.mjs [renderer|main|preload|core]...` builds a subset; no argument builds all.
// Why three tools: Vite owns the browser bundle (React, CSS, assets); tsc keeps the Node side's file layout, which
// worker threads and handler modules rely on; esbuild makes the sandboxed preload the one CommonJS file it must be.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, globSync, rmSync } from 'node:fs';
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
  // The core and the main process are compiled file by file (layout kept, `.ts` imports rewritten to `.js`),
  // so worker entries, handler modules and schema files sit where the core computes them from import.meta.url.
  main: () => compileNodeSide(),
  core: () => compileNodeSide(),
  // Sandboxed preloads cannot require anything but electron: everything else is bundled in.
  preload: () => build({ ...nodeSide, minify: true, entryPoints: { preload: 'preload/preload.ts' }, outdir: out('preload'), format: 'cjs', outExtension: { '.js': '.cjs' }, external: ['electron'] }),
};

let compiled = false;
function compileNodeSide() {
  if (compiled) return;
  compiled = true;
  rmSync(out('app'), { recursive: true, force: true });
  rmSync(out('main'), { recursive: true, force: true });
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('Compiling app/ and main/ failed (see above).');
  for (const file of globSync('app/**/*.sql', { cwd: root })) cpSync(path.join(root, file), out(file));
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
