#!/usr/bin/env node
// `npm test`: type check every side, lint, unit tests, build, then both end-to-end projects. It finds (or
// installs) a Chromium by itself and ends with one summary line: "N passed, N failed, N skipped".
// Zero tests run is a failure, never a silent pass.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './lib/chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'out', 'test-results');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const only = new Set(process.argv.slice(2));
const wants = (step) => only.size === 0 || only.has(step);

function run(title, command, args, env = {}) {
  console.log(`\n── ${title} ──`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`── ${title}: ${result.status === 0 ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result.status === 0;
}

const failures = [];
const step = (name, ok) => ok || failures.push(name);

rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

if (wants('typecheck')) {
  for (const side of ['app', 'main', 'preload', 'renderer', '.']) step(`typecheck ${side}`, run(`type check ${side}`, bin('tsc'), ['-p', side]));
}
if (wants('lint')) step('lint', run('lint', bin('eslint'), ['--max-warnings', '0', '.']));
if (wants('unit')) {
  step('unit', run('unit tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(results, 'unit.json')}`]));
}
if (wants('e2e')) {
  const chromium = ensureChromium();
  if (chromium.path === null) {
    console.error(`\n${chromium.reason}`);
    failures.push('e2e (no Chromium)');
  } else {
    step('build', run('build', process.execPath, [path.join(root, 'scripts', 'build.mjs')]));
    step('e2e', run(`end-to-end (Playwright; Chromium at ${chromium.path})`, bin('playwright'), ['test'], { SYNCCENTER_CHROMIUM: chromium.path }));
  }
}

const counts = { passed: 0, failed: 0, skipped: 0 };
const unitFile = path.join(results, 'unit.json');
if (existsSync(unitFile)) {
  const unit = JSON.parse(readFileSync(unitFile, 'utf8'));
  counts.passed += unit.numPassedTests;
  counts.failed += unit.numFailedTests;
  counts.skipped += unit.numPendingTests + (unit.numTodoTests ?? 0);
}
const e2eFile = path.join(results, 'e2e.json');
const skipReasons = new Map();
if (existsSync(e2eFile)) {
  const report = JSON.parse(readFileSync(e2eFile, 'utf8'));
  const { stats } = report;
  counts.passed += stats.expected + stats.flaky;
  counts.failed += stats.unexpected;
  counts.skipped += stats.skipped;
  // Why each end-to-end test was skipped (the skip annotation's reason), so a skip is never silent.
  const visit = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'skipped') continue;
        const reason = `${test.projectName}: ${test.annotations?.find((annotation) => annotation.type === 'skip')?.description || 'no reason given'}`;
        skipReasons.set(reason, (skipReasons.get(reason) ?? 0) + 1);
      }
    }
    for (const child of suite.suites ?? []) visit(child);
  };
  for (const suite of report.suites ?? []) visit(suite);
}
if (counts.passed + counts.failed === 0 && (wants('unit') || wants('e2e'))) failures.push('no tests found: the runners executed no test');

console.log('');
for (const [reason, count] of skipReasons) console.log(`skipped ${count} end-to-end test(s), ${reason}`);
if (failures.length > 0) console.log(`Failed steps: ${failures.join(', ')}`);
console.log(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(failures.length > 0 ? 1 : 0);
