// Runs the Electronegativity security scanner (a devDependency) on one folder and prints its findings as JSON.
// Offline by design: its network lookups (updated translations, the list of Electron releases for the
// security-fix check) are answered with an immediate failure instead of retried timeouts.
// Usage: node app/proof/electronScan.mjs <folder> <electron version>
import Module, { createRequire } from 'node:module';

const originalLoad = Module._load;
Module._load = function load(request, ...rest) {
  if (request === 'got') {
    const offline = () => Promise.reject(new Error('offline: the proof suite runs without network'));
    return Object.assign(offline, { head: offline, get: offline, default: offline });
  }
  return originalLoad.call(this, request, ...rest);
};

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');
const [input, electronVersion] = process.argv.slice(2);
const log = console.log;
console.log = () => undefined; // the scanner's own chatter would corrupt the JSON
const result = await run({ input, isRelative: true, electronVersionOverride: electronVersion });
console.log = log;
const issues = result.issues.map((issue) => ({
  id: issue.id,
  severity: issue.severity.name,
  confidence: issue.confidence.name,
  file: issue.file,
  line: issue.location.line,
  manualReview: issue.manualReview,
  description: issue.description,
}));
process.stdout.write(`${JSON.stringify({ issues, errors: result.errors })}\n`);
process.exit(0);
