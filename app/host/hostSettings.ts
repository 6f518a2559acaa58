/**
 * What every host of the core (the desktop app, `synccenter serve`, a one-shot CLI command) decides the same way:
 * where the state lives and which handlers it hosts. Sharing one state directory is what lets the CLI reach the
 * running app through its control endpoint, and shows the app what the CLI set up.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { ControlError } from '../control/result.ts';
import type { HandlerRegistration } from '../control/syncCenter.ts';
import { builtInHandlers } from '../runtime/builtInHandlers.ts';
import { defaultScript, scriptedHandlerRegistration } from '../runtime/fixtures/scriptedHandler.ts';
import { legacyHandlerRegistration } from '../runtime/fixtures/legacyMailHandler.ts';

/** `--data-dir` (`flag`), else SYNCCENTER_HOME, else the XDG data directory (`~/.local/share/synccenter`). */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag !== undefined && flag.length > 0) return path.resolve(flag);
  if (env.SYNCCENTER_HOME !== undefined && env.SYNCCENTER_HOME.length > 0) return path.resolve(env.SYNCCENTER_HOME);
  const xdg = env.XDG_DATA_HOME !== undefined && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(homedir(), '.local', 'share');
  return path.join(xdg, 'synccenter');
}

/**
 * The handlers a host registers: the built-ins, then the test fixtures named in SYNCCENTER_FIXTURES
 * (comma-separated: `scripted`, `legacy`), then the registrations listed in the JSON file SYNCCENTER_HANDLERS.
 */
export function handlerRegistrations(env: NodeJS.ProcessEnv): HandlerRegistration[] {
  const fixtures = new Set((env.SYNCCENTER_FIXTURES ?? '').split(',').map((name) => name.trim()).filter(Boolean));
  const registrations = [...builtInHandlers()];
  if (fixtures.has('scripted')) registrations.push(scriptedHandlerRegistration(defaultScript));
  if (fixtures.has('legacy')) registrations.push(legacyHandlerRegistration());
  if (env.SYNCCENTER_HANDLERS !== undefined && env.SYNCCENTER_HANDLERS.length > 0) registrations.push(...readRegistrations(env.SYNCCENTER_HANDLERS));
  return registrations;
}

function readRegistrations(file: string): HandlerRegistration[] {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as HandlerRegistration[];
    if (!Array.isArray(value)) throw new Error('expected an array of {id, module, exportName?, options?}');
    return value.map((entry) => ({ ...entry, module: path.isAbsolute(entry.module) || !entry.module.startsWith('.') ? entry.module : path.resolve(path.dirname(file), entry.module) }));
  } catch (error) {
    throw new ControlError('BAD_REQUEST', `SYNCCENTER_HANDLERS ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
