/**
 * Explicit handler registration. The composition root lists registrations; each names a module the session
 * worker can `import()` and the factory it exports, so built-in and third-party handlers load the same way and
 * nothing registers itself as an import side effect.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ControlError } from '../control/result.ts';
import { hostText } from './hostText.ts';
import { limits, type HandlerContext, type HandlerFactory, type SyncHandler } from './syncHandler.ts';

/** How the composition root names a handler. */
export interface HandlerRegistration {
  /** The handler's id; must equal the id the factory's handler reports. */
  readonly id: string;
  /** An absolute path, a file: URL, or a package specifier the worker can import. */
  readonly module: string;
  /** The factory export; `createHandler` by default. */
  readonly exportName?: string;
  /** JSON-serializable options handed to the factory as `context.options` (in the host and in every worker). */
  readonly options?: unknown;
}

/** A registration resolved to an importable specifier, plus the handler's private data directory. */
export interface ResolvedRegistration {
  readonly id: string;
  readonly specifier: string;
  readonly exportName: string;
  readonly options: unknown;
  readonly dataDir: string;
}

/** A handler loaded in the host thread. */
export interface LoadedHandler {
  readonly registration: ResolvedRegistration;
  readonly handler: SyncHandler;
}

/** The registry the session manager and control facade read from. */
export interface HandlerRegistry {
  list(): readonly LoadedHandler[];
  /** Throws NOT_FOUND for an unknown id. */
  get(handlerId: string): LoadedHandler;
}

const idPattern = /^[A-Za-z0-9._:-]+$/;

/** Turns a path into a file URL so `import()` behaves the same on every platform. */
export function resolveRegistration(registration: HandlerRegistration, stateDir: string): ResolvedRegistration {
  const specifier = path.isAbsolute(registration.module) ? pathToFileURL(registration.module).href : registration.module;
  return {
    id: registration.id,
    specifier,
    exportName: registration.exportName ?? 'createHandler',
    options: registration.options ?? null,
    dataDir: path.join(stateDir, 'handlers', registration.id),
  };
}

/** Imports a handler module and builds the handler; used by the host thread and by every session worker. */
export async function instantiateHandler(registration: ResolvedRegistration, now: () => number): Promise<SyncHandler> {
  const loaded = (await import(registration.specifier)) as Record<string, unknown>;
  const factory = loaded[registration.exportName];
  if (typeof factory !== 'function') {
    throw new ControlError('BAD_HANDLER', hostText()('error.noFactory', { module: registration.specifier, exportName: registration.exportName }));
  }
  const context: HandlerContext = { dataDir: registration.dataDir, options: registration.options, now };
  const handler = await (factory as HandlerFactory)(context);
  checkHandler(handler, registration.id);
  return handler;
}

function checkHandler(handler: SyncHandler, expectedId: string): void {
  if (handler.id !== expectedId) throw new ControlError('BAD_HANDLER', hostText()('error.idMismatch', { handlerId: handler.id, expectedId }));
  if (handler.id.length > limits.id || !idPattern.test(handler.id)) throw new ControlError('BAD_HANDLER', hostText()('error.invalidHandlerId', { handlerId: handler.id }));
  if (handler.name.length === 0 || handler.name.length > limits.name) throw new ControlError('BAD_HANDLER', hostText()('error.invalidHandlerName', { handlerId: handler.id }));
}

/** Loads every registration in order; a duplicate id or a broken module is an error at startup. */
export async function createHandlerRegistry(
  registrations: readonly HandlerRegistration[],
  stateDir: string,
  now: () => number,
): Promise<HandlerRegistry> {
  const byId = new Map<string, LoadedHandler>();
  for (const registration of registrations) {
    if (byId.has(registration.id)) throw new ControlError('BAD_HANDLER', hostText()('error.registeredTwice', { handlerId: registration.id }));
    const resolved = resolveRegistration(registration, stateDir);
    await mkdir(resolved.dataDir, { recursive: true, mode: 0o700 });
    byId.set(registration.id, { registration: resolved, handler: await instantiateHandler(resolved, now) });
  }
  return {
    list: () => [...byId.values()],
    get(handlerId) {
      const loaded = byId.get(handlerId);
      if (loaded === undefined) throw new ControlError('NOT_FOUND', hostText()('error.noHandler', { handlerId }));
      return loaded;
    },
  };
}

/** Checks an item id the way the contract does, for ids that come from handler code. */
export function isValidItemId(id: string): boolean {
  return id.length > 0 && id.length <= limits.id && idPattern.test(id);
}
