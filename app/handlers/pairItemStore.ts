/**
 * The items of a pair handler (folders, xml): each item is two replica locations plus its options, kept in
 * `<dataDir>/items.json`. Both the host thread and every session worker read it, so it lives on disk and is
 * replaced atomically (write a temp file, fsync, rename).
 */
import { randomUUID } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { issueText } from '../control/requestIssues.ts';
import { ControlError } from '../control/result.ts';
import { conflictPolicySchema, lastSessionSchema } from '../control/schemas.ts';
import { hostText } from '../runtime/hostText.ts';
import type { ItemDescription } from '../runtime/syncHandler.ts';

const pairItemSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(128),
  left: z.string().min(1),
  right: z.string().min(1),
  conflictPolicy: conflictPolicySchema,
  exclude: z.array(z.string()),
  createdTime: z.number().int(),
  /** Replica ids seen at the last sync; a side whose id vanished is a missing root, not an empty one. */
  replicas: z.object({ left: z.string().optional(), right: z.string().optional() }).default({}),
  /** What the last session did (Properties shows it). */
  lastSession: lastSessionSchema.optional(),
});
const fileSchema = z.object({ version: z.literal(1), items: z.array(pairItemSchema) });

/** One pair item. */
export type PairItem = z.infer<typeof pairItemSchema>;

/** Reads and writes the pair items of one handler. */
export class PairItemStore {
  readonly #file: string;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.#file = path.join(dataDir, 'items.json');
  }

  /** Every item, in the order they were added. A damaged file is a clear error, never silently emptied. */
  list(): PairItem[] {
    if (!existsSync(this.#file)) return [];
    const parsed = fileSchema.safeParse(safeJson(readFileSync(this.#file, 'utf8')));
    if (parsed.success) return parsed.data.items;
    const t = hostText();
    throw new ControlError('STATE_CORRUPT', t('error.itemListDamaged', { file: this.#file, reason: parsed.error.issues[0] === undefined ? t('error.unreadable') : issueText(parsed.error.issues[0]) }));
  }

  /** One item; NOT_FOUND names the id. */
  get(id: string): PairItem {
    const item = this.list().find((candidate) => candidate.id === id);
    if (item === undefined) throw new ControlError('NOT_FOUND', hostText()('error.noSyncItem', { itemId: id }));
    return item;
  }

  /** Adds an item with a fresh id derived from `prefix`. */
  add(prefix: string, fields: Omit<PairItem, 'id' | 'replicas'>): PairItem {
    const items = this.list();
    const item: PairItem = { id: `${prefix}-${randomUUID().slice(0, 8)}`, ...fields, replicas: {} };
    this.#write([...items, item]);
    return item;
  }

  /** Replaces fields of an item (e.g. the replica ids learned by a sync). */
  update(id: string, change: Partial<Omit<PairItem, 'id'>>): void {
    this.#write(this.list().map((item) => (item.id === id ? { ...item, ...change } : item)));
  }

  /** Forgets an item; its folders and files are left as they are. */
  remove(id: string): void {
    this.get(id);
    this.#write(this.list().filter((item) => item.id !== id));
  }

  #write(items: PairItem[]): void {
    // The host thread and session workers share a pid; the thread id keeps their temporary files apart.
    const temp = `${this.#file}.${process.pid}-${threadId}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify({ version: 1, items }, null, 2));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.#file);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** What Properties and Browse show of a pair item: both locations, its options and its last session. */
export function describePairItem(item: PairItem): ItemDescription {
  return {
    locations: [
      { side: 'left', path: item.left },
      { side: 'right', path: item.right },
    ],
    conflictPolicy: item.conflictPolicy,
    exclude: item.exclude,
    lastSession: item.lastSession ?? null,
  };
}
