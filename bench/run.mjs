#!/usr/bin/env node
// `npm run bench [-- name... --option value]`: runs the named benchmarks (all when none is named) on Node 24. Each prints
// its figures as ratios against a reference measured in the same run. Benchmarks never run in `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
  .map((file) => file.replace(/\.ts$/, ''))
  .sort();
// Names select benchmarks; everything else (`--minutes 2`, `--sizes 4,5`, `--profile`) is passed on to each.
const args = process.argv.slice(2);
const requested = args.filter((arg) => available.includes(arg));
const options = args.filter((arg) => !available.includes(arg));
const unknown = options.filter((arg, index) => !arg.startsWith('-') && !options[index - 1]?.startsWith('--'));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ') || '(none yet)'}.`);
  process.exit(2);
}
if (available.length === 0) {
  console.error('No benchmarks found in bench/ (files named <name>.ts).');
  process.exit(2);
}
let failed = 0;
for (const name of requested.length > 0 ? requested : available) {
  const file = path.join(here, `${name}.ts`);
  if (!existsSync(file)) continue;
  console.log(`\n=== bench: ${name} ===`);
  const result = spawnSync(process.execPath, ['--expose-gc', file, ...options], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);
