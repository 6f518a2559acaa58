/**
 * The built-in handlers, registered explicitly by the composition roots (Electron main, CLI, web host).
 * Convention: `app/handlers/<id>/<id>Handler.ts` exports `createHandler(context)`. A handler folder without that
 * module yet (work in progress) is simply not registered.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HandlerRegistration } from './handlerRegistry.ts';

const builtInIds = ['folders', 'xml'] as const;
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** Registrations for the built-in handlers that exist in this build. */
export function builtInHandlers(): HandlerRegistration[] {
  return builtInIds
    .map((id) => ({ id, module: fileURLToPath(new URL(`../handlers/${id}/${id}Handler${extension}`, import.meta.url)) }))
    .filter((registration) => existsSync(registration.module));
}
