/**
 * The load of the proof suite and of `bench/soak.ts`: a real core hosting 20 scripted handlers of 50 items each,
 * driven through its control endpoint (as the CLI or another process would) by a seeded storm of Sync All,
 * handler and item syncs, with items and handlers stopped at random. Then every invariant of the queue is
 * checked on the answers and on the events the core published, in order.
 */
import { connect, type Socket } from 'node:net';
import type { CallName } from '../control/contract.ts';
import type { SyncEvent } from '../control/events.ts';
import { syncResultSchema, type SyncResult } from '../control/schemas.ts';
import { startControlEndpoint, type ControlEndpoint } from '../host/controlEndpoint.ts';
import { scriptedHandlerRegistration } from '../runtime/fixtures/scriptedHandler.ts';
import { startTestHost, type TestHost } from '../sessions/hostTestKit.ts';
import type { Random } from './proofKit.ts';

/** A host under load, reached through its control endpoint. */
export interface LoadHost {
  readonly host: TestHost;
  readonly endpoint: ControlEndpoint;
  readonly client: EndpointCaller;
  readonly handlerIds: readonly string[];
  readonly itemIds: readonly string[];
  close(): Promise<void>;
}

/** Starts the core with `handlers` × `items` scripted items (each a few short steps) and its endpoint. */
export async function startLoadHost(handlers = 20, items = 50): Promise<LoadHost> {
  const itemIds = Array.from({ length: items }, (_, index) => `item${index}`);
  const registrations = Array.from({ length: handlers }, (_, index) =>
    scriptedHandlerRegistration({ id: `load${index}`, name: `Load ${index}`, items: itemIds.map((id) => ({ id, steps: 2, delayMs: 1 })) }),
  );
  const host = await startTestHost({}, { handlers: registrations, stopGraceMs: 2_000 });
  const endpoint = await startControlEndpoint(host.api, host.stateDir);
  const client = await EndpointCaller.connect(endpoint.path);
  return {
    host,
    endpoint,
    client,
    handlerIds: registrations.map((registration) => registration.id),
    itemIds,
    async close() {
      client.close();
      await endpoint.close();
      await host.dispose();
    },
  };
}

/** Calls over the endpoint socket, counting the answers each request id receives. */
export class EndpointCaller {
  private buffer = '';
  private next = 0;
  private readonly pending = new Map<number, (answer: Answer) => void>();
  /** Answers per request id (must end at exactly 1 each). */
  readonly answers = new Map<number, number>();
  /** Answers for no pending request (duplicates, or an id never sent). */
  readonly strays: unknown[] = [];

  private readonly socket: Socket;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.read(chunk));
  }

  static connect(path: string): Promise<EndpointCaller> {
    return new Promise((resolve, reject) => {
      const socket = connect(path, () => resolve(new EndpointCaller(socket)));
      socket.once('error', reject);
    });
  }

  call(name: CallName, request: unknown): Promise<Answer> {
    const id = ++this.next;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.write(`${JSON.stringify({ id, call: name, request })}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    this.buffer += chunk.toString('utf8');
    for (let newline = this.buffer.indexOf('\n'); newline >= 0; newline = this.buffer.indexOf('\n')) {
      const answer = JSON.parse(this.buffer.slice(0, newline)) as Answer & { id: number };
      this.buffer = this.buffer.slice(newline + 1);
      this.answers.set(answer.id, (this.answers.get(answer.id) ?? 0) + 1);
      const resolve = this.pending.get(answer.id);
      if (resolve === undefined) this.strays.push(answer);
      else {
        this.pending.delete(answer.id);
        resolve(answer);
      }
    }
  }
}

/** One endpoint answer. */
export interface Answer {
  readonly result: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
}

/** A start request of the storm and what must come back for it. */
export interface StartRequest {
  readonly call: 'startSyncAll' | 'startHandlerSync' | 'startItemSync';
  /** `handler/item` keys the result must list, each once. */
  readonly expected: readonly string[];
  readonly answer: Promise<Answer>;
}

/** Fires `actions` random calls, `0–maxGapMs` apart; returns the start requests (their answers still pending). */
export async function storm(load: LoadHost, random: Random, actions: number, maxGapMs = 20): Promise<{ starts: StartRequest[]; stops: Promise<Answer>[] }> {
  const starts: StartRequest[] = [];
  const stops: Promise<Answer>[] = [];
  const everything = load.handlerIds.flatMap((handlerId) => load.itemIds.map((itemId) => `${handlerId}/${itemId}`));
  const someItems = (count: number) => [...new Set(Array.from({ length: count }, () => random.pick(load.itemIds)))];
  for (let action = 0; action < actions; action += 1) {
    const roll = random.next();
    const handlerId = random.pick(load.handlerIds);
    const ignore = random.chance(0.5);
    if (roll < 0.3) starts.push({ call: 'startSyncAll', expected: everything, answer: load.client.call('startSyncAll', { ignoreIfAlreadySyncing: ignore }) });
    else if (roll < 0.5) starts.push({ call: 'startHandlerSync', expected: load.itemIds.map((itemId) => `${handlerId}/${itemId}`), answer: load.client.call('startHandlerSync', { handlerId, ignoreIfAlreadySyncing: ignore }) });
    else if (roll < 0.75) {
      const itemIds = someItems(1 + random.int(5));
      starts.push({ call: 'startItemSync', expected: itemIds.map((itemId) => `${handlerId}/${itemId}`), answer: load.client.call('startItemSync', { handlerId, itemIds, ignoreIfAlreadySyncing: ignore }) });
    } else if (roll < 0.93) stops.push(load.client.call('stopItemSync', { handlerId, itemIds: someItems(1 + random.int(3)) }));
    else if (roll < 0.99) stops.push(load.client.call('stopHandlerSync', { handlerId }));
    else stops.push(load.client.call('stopSyncAll', {}));
    await new Promise((resolve) => setTimeout(resolve, random.int(maxGapMs + 1)));
  }
  return { starts, stops };
}

const terminal = new Set(['succeeded', 'failed', 'canceled']);

/** Every violated invariant of one storm (empty when the queue behaved). */
export async function queueProblems(load: LoadHost, starts: readonly StartRequest[], stops: readonly Promise<Answer>[], events: readonly SyncEvent[]): Promise<string[]> {
  const problems: string[] = [];
  for (const [index, start] of starts.entries()) {
    const { result } = await start.answer;
    if (!result.ok) {
      problems.push(`${start.call} #${index} failed: ${result.error.code} ${result.error.message}`);
      continue;
    }
    const parsed = syncResultSchema.safeParse(result.value);
    if (!parsed.success) {
      problems.push(`${start.call} #${index} answered something that is not a sync result`);
      continue;
    }
    problems.push(...resultProblems(`${start.call} #${index}`, parsed.data, start.expected));
  }
  for (const stop of stops) {
    const { result } = await stop;
    if (!result.ok) problems.push(`a stop failed: ${result.error.code} ${result.error.message}`);
  }
  const duplicates = [...load.client.answers].filter(([, count]) => count !== 1);
  if (duplicates.length > 0) problems.push(`requests answered more than once: ${duplicates.map(([id, count]) => `#${id} ×${count}`).join(', ')}`);
  if (load.client.strays.length > 0) problems.push(`${load.client.strays.length} answer(s) for no pending request`);
  problems.push(...sessionProblems(events));
  const requestsFinished = events.filter((event) => event.type === 'requestFinished').length;
  if (requestsFinished !== starts.length) problems.push(`${requestsFinished} requestFinished events for ${starts.length} start requests`);
  for (const handler of await load.host.api.listHandlers({})) {
    const busy = handler.items.filter((item) => !terminal.has(item.state) && item.state !== 'idle');
    if (busy.length > 0) problems.push(`${handler.id}: ${busy.length} item(s) still ${busy[0]?.state} after every request resolved`);
  }
  return problems;
}

/** A result lists exactly the requested items, once each, each in a final state, with a consistent status. */
function resultProblems(label: string, result: SyncResult, expected: readonly string[]): string[] {
  const problems: string[] = [];
  const keys = result.items.map((item) => `${item.handlerId}/${item.itemId}`);
  if (new Set(keys).size !== keys.length) problems.push(`${label}: an item is listed twice in its result`);
  const missing = expected.filter((key) => !keys.includes(key));
  const extra = keys.filter((key) => !expected.includes(key));
  if (missing.length + extra.length > 0) problems.push(`${label}: result lists ${extra.length} unrequested and misses ${missing.length} requested item(s) (${[...missing, ...extra].slice(0, 3).join(', ')})`);
  const notFinal = result.items.filter((item) => !terminal.has(item.state));
  if (notFinal.length > 0) problems.push(`${label}: ${notFinal.length} item(s) resolved in state ${notFinal[0]?.state}`);
  const worst = result.items.some((item) => item.state === 'failed') ? 'failed' : result.items.some((item) => item.state === 'canceled') ? 'canceled' : 'succeeded';
  if (result.items.length > 0 && result.status !== worst) problems.push(`${label}: status ${result.status} but its items say ${worst}`);
  return problems;
}

/** Sessions never overlap per handler; each starts and finishes once; each item of a session finishes once. */
function sessionProblems(events: readonly SyncEvent[]): string[] {
  const problems: string[] = [];
  const running = new Map<string, string>();
  const open = new Map<string, Map<string, number>>();
  for (const event of events) {
    if (event.type === 'sessionStarted') {
      if (running.has(event.handlerId)) problems.push(`${event.handlerId}: session ${event.sessionId} started while ${running.get(event.handlerId)} was running`);
      if (open.has(event.sessionId)) problems.push(`session ${event.sessionId} started twice`);
      running.set(event.handlerId, event.sessionId);
      open.set(event.sessionId, new Map());
    } else if (event.type === 'itemStarted') {
      const items = open.get(event.sessionId);
      if (items === undefined) problems.push(`item ${event.itemId} started in unknown session ${event.sessionId}`);
      else if (!items.has(event.itemId)) items.set(event.itemId, 0);
    } else if (event.type === 'itemFinished') {
      const items = open.get(event.sessionId);
      if (items === undefined) problems.push(`item ${event.itemId} finished in unknown session ${event.sessionId}`);
      else items.set(event.itemId, (items.get(event.itemId) ?? 0) + 1);
    } else if (event.type === 'sessionFinished') {
      const items = open.get(event.sessionId);
      if (items === undefined) problems.push(`session ${event.sessionId} finished without starting, or twice`);
      else {
        const twice = [...items].filter(([, count]) => count > 1).map(([itemId]) => itemId);
        if (twice.length > 0) problems.push(`session ${event.sessionId}: item(s) ${twice.join(', ')} finished twice`);
      }
      open.delete(event.sessionId);
      if (running.get(event.handlerId) === event.sessionId) running.delete(event.handlerId);
    }
  }
  if (open.size > 0) problems.push(`${open.size} session(s) never finished`);
  return problems;
}
