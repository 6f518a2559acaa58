/**
 * Starts the real product (`synccenter serve`) on a fresh temporary state directory for one test and reads the
 * window's URL from its first line of output, exactly as a user would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** A running `synccenter serve`. */
export interface ServedHost {
  readonly url: string;
  readonly origin: string;
  readonly dataDir: string;
  readonly output: string[];
  stop(): Promise<void>;
}

/** One scripted item (see app/runtime/fixtures/scriptedHandler.ts). */
export interface ScriptedItem {
  id: string;
  name?: string;
  steps?: number;
  delayMs?: number;
  outcome?: 'succeed' | 'fail' | 'throw';
  conflicts?: number;
}

/** What the served core hosts besides the built-in handlers. */
export interface ServeOptions {
  /** A scripted fixture handler named "Scripted fixture" with these items. */
  scripted?: { name?: string; items: ScriptedItem[] };
}

/**
 * The environment that makes a host register the scripted fixture with `options.scripted` (SYNCCENTER_HANDLERS,
 * a file written into `dataDir`); `module` is the fixture's source (the CLI) or its build (Electron).
 */
export function handlerEnvironment(dataDir: string, options: ServeOptions, module: string): Record<string, string> {
  if (options.scripted === undefined) return {};
  const file = path.join(dataDir, 'handlers.json');
  writeFileSync(file, JSON.stringify([{ id: 'scripted', module, exportName: 'createHandler', options: options.scripted }]));
  return { SYNCCENTER_HANDLERS: file };
}

/** Spawns the CLI's `serve` and waits for its URL line. */
export async function serve(options: ServeOptions = {}): Promise<ServedHost> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'synccenter-e2e-'));
  const env = handlerEnvironment(dataDir, options, path.join(repoRoot, 'app', 'runtime', 'fixtures', 'scriptedHandler.ts'));
  const child = spawn(process.execPath, [path.join(repoRoot, 'app', 'cli', 'main.ts'), '--data-dir', dataDir, 'serve', '--port', '0'], {
    cwd: repoRoot,
    // The host's own text (errors, Sync Results events) in English, like the window under test.
    env: { ...process.env, SYNCCENTER_LANG: 'en', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = await firstLine(child, output);
  return { url, origin: new URL(url).origin, dataDir, output, stop: () => stop(child, dataDir) };
}

function firstLine(child: ChildProcess, output: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within 20 s: ${output.join('')}`)), 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output.join('')}`)));
  });
}

async function stop(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
}
