/**
 * Entry point of a session worker ("Synchronize is called on its own thread"): builds the handler from its
 * registration, runs `synchronize`, and reports `done` or `failed`. A crash of this thread fails this session only.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { instantiateHandler } from './handlerRegistry.ts';
import type { SessionMessage, SessionWorkerData } from './sessionProtocol.ts';
import { createWorkerSyncSession } from './workerSyncSession.ts';

const data = workerData as SessionWorkerData & { queuedPort: MessagePort };
const post = (message: SessionMessage): void => parentPort?.postMessage(message);

async function run(): Promise<void> {
  const { handlerId, specifier, exportName, options, dataDir } = data;
  const handler = await instantiateHandler({ id: handlerId, specifier, exportName, options, dataDir }, Date.now);
  const session = createWorkerSyncSession(post, data.cancelBuffer, data.queuedPort, data.itemIds);
  await handler.synchronize([...data.itemIds], session);
}

run().then(
  () => post({ type: 'done' }),
  (error: unknown) => post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
).finally(() => data.queuedPort.close());
