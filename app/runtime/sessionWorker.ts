/**
 * Entry point of a session worker ("Synchronize is called on its own thread"). The worker serves the sessions of
 * one handler, one at a time: for each `SessionStart` it builds the handler from its registration (the module is
 * imported once per worker, then cached), runs `synchronize`, and reports `done` or `failed`. Every message is
 * tagged with its session's number. A crash of this thread fails the running session only. A worker left idle
 * runs a full garbage collection after a while, so the pool's idle workers hand their grown heaps back.
 */
import { parentPort } from 'node:worker_threads';
import { instantiateHandler } from './handlerRegistry.ts';
import { createIdleCollection, fullCollection } from './idleCollection.ts';
import type { SessionMessage, SessionStart, TaggedSessionMessage } from './sessionProtocol.ts';
import { createWorkerSyncSession } from './workerSyncSession.ts';

async function run(start: SessionStart, post: (message: SessionMessage) => void): Promise<void> {
  const { handlerId, specifier, exportName, options, dataDir } = start;
  // This thread's environment is a copy taken when it started: the host's language may have changed since.
  if (start.language !== undefined) process.env.SYNCCENTER_LANG = start.language;
  const handler = await instantiateHandler({ id: handlerId, specifier, exportName, options, dataDir }, Date.now);
  const session = createWorkerSyncSession(post, start.cancelBuffer, start.queuedPort, start.itemIds);
  await handler.synchronize([...start.itemIds], session);
}

let idleCollection: ReturnType<typeof createIdleCollection> | undefined;

parentPort?.on('message', (start: SessionStart) => {
  idleCollection ??= createIdleCollection(fullCollection(), start.idleCollectionMs);
  idleCollection.busy();
  const post = (message: SessionMessage): void => parentPort?.postMessage({ session: start.session, message } satisfies TaggedSessionMessage);
  run(start, post).then(
    () => post({ type: 'done' }),
    (error: unknown) => post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
  ).finally(() => {
    start.queuedPort.close();
    idleCollection?.idle();
  });
});
