/**
 * A sync killed at any instant leaves every file either old or new, and the next run cleans the leftovers.
 * The writer runs in a child process that is killed with SIGKILL mid-copy and mid-install.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempFiles } from './fileTransfer.ts';
import { makeTempDir, readText, removeTempDirs, writeFiles } from './testFolders.ts';
import { scanTree } from './treeScanner.ts';

afterAll(removeTempDirs);

/** Runs `source` as a child; kills it with SIGKILL `delayMs` after it prints `marker`. Resolves on exit. */
function runAndKill(source: string, marker: string, delayMs: number): Promise<{ signal: NodeJS.Signals | null; output: string }> {
  const directory = makeTempDir('crash-script');
  const script = path.join(directory, 'script.mjs');
  fs.writeFileSync(script, source);
  const child = spawn(process.execPath, [script], { env: { ...process.env, HANDLER_DIR: import.meta.dirname }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const before = output;
    output += chunk.toString();
    if (!before.includes(marker) && output.includes(marker)) setTimeout(() => child.kill('SIGKILL'), delayMs);
  });
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve({ signal, output })));
}

const header = `
  const { FileTransfer } = await import(process.env.HANDLER_DIR + '/fileTransfer.ts');
  const { Trash } = await import(process.env.HANDLER_DIR + '/trash.ts');
`;

describe('a writer killed mid-way', () => {
  it('mid-copy: the destination keeps its old content and the temp file is cleaned on the next run', async () => {
    const source = makeTempDir('src');
    const destination = makeTempDir('dst');
    writeFiles(source, { 'big.bin': Buffer.alloc(256 * 1024 * 1024, 7) });
    writeFiles(destination, { 'big.bin': 'old content' });
    const { signal } = await runAndKill(`${header}
      const transfer = new FileTransfer(${JSON.stringify(destination)}, new Trash(${JSON.stringify(destination)}), {
        onBytes: () => process.stdout.write('copying\\n'),
      });
      const prepared = await transfer.prepare({ sourceRoot: ${JSON.stringify(source)}, sourcePath: 'big.bin', destinationPath: 'big.bin' });
      process.stdout.write('prepared\\n');
    `, 'copying', 0);
    expect(signal).toBe('SIGKILL');
    expect(readText(destination, 'big.bin')).toBe('old content');
    const leftovers = scanTree(destination).tempFiles;
    expect(leftovers).toHaveLength(1);
    expect(cleanupTempFiles(destination, leftovers)).toEqual(leftovers);
    expect(fs.readdirSync(destination)).toEqual(['big.bin']);
  });

  it.each([0, 3, 10, 25])('mid-install (killed %i ms in): every file is old or new, none missing or partial', async (delayMs) => {
    const source = makeTempDir('src');
    const destination = makeTempDir('dst');
    const names = Array.from({ length: 300 }, (_, index) => `d${index % 7}/f${index}.txt`);
    writeFiles(source, Object.fromEntries(names.map((name) => [name, `NEW ${name} `.repeat(50)])));
    writeFiles(destination, Object.fromEntries(names.map((name) => [name, `old ${name}`])));
    const { output } = await runAndKill(`${header}
      const { scanTree } = await import(process.env.HANDLER_DIR + '/treeScanner.ts');
      const { expectationOf } = await import(process.env.HANDLER_DIR + '/destinationCheck.ts');
      const destination = ${JSON.stringify(destination)};
      const names = ${JSON.stringify(names)};
      const plan = new Map(scanTree(destination).entries.map((e) => [e.path, expectationOf(e)]));
      const transfer = new FileTransfer(destination, new Trash(destination));
      const prepared = await transfer.prepareAll(names.map((n) => ({ sourceRoot: ${JSON.stringify(source)}, sourcePath: n, destinationPath: n })));
      process.stdout.write('installing\\n');
      for (const [index, result] of prepared.entries()) {
        transfer.install(result.value, plan.get(names[index]));
        await new Promise((resolve) => setImmediate(resolve)); // let the kill land between installs too
      }
      await transfer.flush();
      process.stdout.write('done\\n');
    `, 'installing', delayMs);
    const contents = names.map((name) => readText(destination, name));
    const states = contents.map((content, index) => (content === `old ${names[index]}` ? 'old' : content === `NEW ${names[index]} `.repeat(50) ? 'new' : 'broken'));
    expect(states.filter((state) => state === 'broken')).toEqual([]);
    if (output.includes('done')) expect(states.every((state) => state === 'new')).toBe(true);
    cleanupTempFiles(destination);
    expect(scanTree(destination).tempFiles).toEqual([]);
    expect(scanTree(destination).entries.filter((entry) => entry.kind === 'file')).toHaveLength(300);
  });
});
