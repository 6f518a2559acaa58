import { copyFileSync, mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { SyncEvent } from '../control/events.ts';
import { tempDir } from '../sessions/hostTestKit.ts';
import type { WatchPlan } from './itemWatch.ts';
import { schedulerFixture, type SchedulerFixture } from './testing/schedulerTestKit.ts';

const second = 1000;
const minute = 60 * second;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A folder pair on disk, watched through the fake source. */
function pairFixture(plan: 'mirror' | 'paths' = 'mirror') {
  const root = tempDir('synccenter-watch-');
  const left = path.join(root, 'left');
  const right = path.join(root, 'right');
  mkdirSync(left);
  mkdirSync(right);
  const watchPlan: WatchPlan = plan === 'mirror' ? { kind: 'mirror', left, right, exclude: ['*.log'] } : { kind: 'paths', paths: [path.join(left, 'a.xml'), path.join(right, 'b.xml')] };
  const f = schedulerFixture({ plans: { 'scripted/alpha': watchPlan } });
  cleanups.push(() => {
    f.close();
    rmSync(root, { recursive: true, force: true });
  });
  return { f, root, left, right };
}

async function watchAlpha(f: SchedulerFixture, trigger: { delaySeconds?: number; minIntervalSeconds?: number } = {}) {
  f.scheduler.start();
  const schedule = await f.calls.saveSchedule({ handlerId: 'scripted', itemIds: ['alpha'], trigger: { kind: 'fileChange', ...trigger } });
  await f.scheduler.idle();
  return schedule;
}

const itemStarted: SyncEvent = { type: 'itemStarted', sessionId: 's', handlerId: 'scripted', itemId: 'alpha' };
const itemFinished: SyncEvent = { type: 'itemFinished', sessionId: 's', handlerId: 'scripted', itemId: 'alpha', state: 'succeeded' };

/** What a sync does to a folder pair: copy with the modification time, and write its own metadata. */
function mirrorCopy(from: string, to: string, name: string): void {
  copyFileSync(path.join(from, name), path.join(to, name));
  const { atime, mtime } = statSync(path.join(from, name));
  utimesSync(path.join(to, name), atime, mtime);
  for (const side of [from, to]) {
    mkdirSync(path.join(side, '.synccenter'), { recursive: true });
    writeFileSync(path.join(side, '.synccenter', 'metadata.db'), String(Math.random()));
  }
}

describe('debounce', () => {
  test('a burst of 1,000 changes starts exactly one sync, 2 s after the last change', async () => {
    const { f, left, right } = pairFixture();
    await watchAlpha(f);
    for (let index = 0; index < 1000; index += 1) writeFileSync(path.join(left, `file-${index}.txt`), `${index}`);
    const watch = f.source.of(left);
    for (let index = 0; index < 1000; index += 1) {
      watch.change(`file-${index}.txt`);
      await f.clock.advance(1);
    }
    await f.advance(2 * second - 2);
    expect(f.starts).toHaveLength(0);
    await f.advance(1);
    expect(f.starts).toHaveLength(1);
    expect(f.starts[0]).toMatchObject({ itemIds: ['alpha'], reason: { kind: 'changes', changes: { count: 1000, unknown: false } } });
    await f.advance(minute);
    expect(f.starts).toHaveLength(1);
    expect(f.source.of(right).recursive).toBe(true);
  });

  test('a steady stream of changes still syncs at least once a minute', async () => {
    const { f, left } = pairFixture();
    await watchAlpha(f);
    writeFileSync(path.join(left, 'busy.txt'), 'x');
    for (let index = 0; index < 180; index += 1) {
      f.source.of(left).change('busy.txt');
      await f.advance(second);
    }
    expect(f.starts).toHaveLength(3);
  });

  test('at most once per minimum interval; the change waiting meanwhile is not lost', async () => {
    const { f, left } = pairFixture();
    await watchAlpha(f, { delaySeconds: 2, minIntervalSeconds: 30 });
    writeFileSync(path.join(left, 'a.txt'), 'one');
    f.source.of(left).change('a.txt');
    await f.advance(2 * second);
    expect(f.starts).toHaveLength(1);
    await f.advance(3 * second);
    writeFileSync(path.join(left, 'b.txt'), 'two');
    f.source.of(left).change('b.txt');
    const schedules = await f.calls.listSchedules({});
    expect(schedules[0]?.nextRunTime).toBe(f.clock.now() + 27 * second);
    await f.advance(27 * second - 1);
    expect(f.starts).toHaveLength(1);
    await f.advance(1);
    expect(f.starts).toHaveLength(2);
  });

  test('changes inside .synccenter/ and excluded or equal paths never start a sync', async () => {
    const { f, left, right } = pairFixture();
    await watchAlpha(f);
    writeFileSync(path.join(left, 'debug.log'), 'only on one side, but excluded');
    writeFileSync(path.join(left, 'same.txt'), 'same');
    mirrorCopy(left, right, 'same.txt');
    // An XML pair's metadata beside its file, in this pair's folder (on one side only: it would differ).
    mkdirSync(path.join(left, 'docs', 'contacts.xml.synccenter'), { recursive: true });
    writeFileSync(path.join(left, 'docs', 'contacts.xml.synccenter', 'metadata.db'), 'xml pair data');
    for (const relative of ['.synccenter/metadata.db', '.synccenter/trash/x/y.txt', 'sub/.synccenter/scan-state.tsv', 'docs/contacts.xml.synccenter/metadata.db', 'debug.log', 'same.txt']) f.source.of(left).change(relative);
    await f.advance(minute);
    expect(f.starts).toHaveLength(0);
  });

  test('a file of the user\'s that merely ends in .synccenter is a change like any other', async () => {
    const { f, left } = pairFixture();
    await watchAlpha(f);
    writeFileSync(path.join(left, 'notes.synccenter'), 'mine');
    f.source.of(left).change('notes.synccenter');
    await f.advance(minute);
    expect(f.starts).toHaveLength(1);
  });
});

describe("a sync's own writes", () => {
  test('do not start another sync, however late their notifications arrive; an edit made during the sync does', async () => {
    const { f, left, right } = pairFixture();
    await watchAlpha(f);
    writeFileSync(path.join(left, 'report.txt'), 'draft');
    f.source.of(left).change('report.txt');
    await f.advance(2 * second);
    expect(f.starts).toHaveLength(1);

    // The sync runs: it copies report.txt to the right and writes its metadata on both sides.
    f.emit(itemStarted);
    mirrorCopy(left, right, 'report.txt');
    for (const side of [left, right]) f.source.of(side).change('report.txt');
    f.source.of(left).change('.synccenter/metadata.db');
    await f.advance(10 * second);
    expect(f.starts).toHaveLength(1);
    f.emit(itemFinished);
    // Late notifications of the same writes.
    f.source.of(right).change('report.txt');
    await f.advance(minute);
    expect(f.starts).toHaveLength(1);

    // Second round: the user edits another file while the sync runs; it was not part of the sync.
    f.emit(itemStarted);
    writeFileSync(path.join(left, 'notes.txt'), 'written during the sync');
    f.source.of(left).change('notes.txt');
    f.emit(itemFinished);
    await f.advance(2 * second);
    expect(f.starts).toHaveLength(2);
    expect(f.starts[1]?.reason).toEqual({ kind: 'changes', changes: { count: 1, sample: ['notes.txt'], unknown: false } });
  });

  test('watched files (an XML pair): notifications during the sync and their echoes are ignored, a later edit is not', async () => {
    const { f, left, right } = pairFixture('paths');
    const a = path.join(left, 'a.xml');
    const b = path.join(right, 'b.xml');
    writeFileSync(a, '<a/>');
    writeFileSync(b, '<b/>');
    await watchAlpha(f);
    expect(f.source.of(left).recursive).toBe(false);
    f.source.of(left).change('unrelated.txt');
    await f.advance(minute);
    expect(f.starts).toHaveLength(0);

    f.emit({ type: 'itemProgressed', handlerId: 'scripted', itemId: 'alpha', state: 'queued', progress: null });
    writeFileSync(b, '<b><merged/></b>');
    f.source.of(right).change('b.xml');
    f.emit(itemStarted);
    f.emit(itemFinished);
    f.source.of(right).change('b.xml');
    await f.advance(minute);
    expect(f.starts).toHaveLength(0);

    writeFileSync(b, '<b><merged/><edited-by-user/></b>');
    f.source.of(right).change('b.xml');
    await f.advance(2 * second);
    expect(f.starts).toHaveLength(1);
  });
});

describe('watch lifecycle', () => {
  test('at start, changes made while nobody watched are caught up with one sync', async () => {
    const { f } = pairFixture();
    await f.calls.saveSchedule({ handlerId: 'scripted', itemIds: ['alpha'], trigger: { kind: 'fileChange' } });
    f.scheduler.start();
    await f.scheduler.idle();
    await f.advance(2 * second - 1);
    expect(f.starts).toHaveLength(0);
    await f.advance(1);
    expect(f.starts).toEqual([expect.objectContaining({ reason: { kind: 'changes', changes: { count: 0, sample: [], unknown: true } } })]);
    await f.advance(minute);
    expect(f.starts).toHaveLength(1);
  });

  test('a folder that cannot be watched (a drive unplugged) is tried again, and one sync catches up when it is back', async () => {
    const { f, left } = pairFixture();
    f.source.missing.add(left);
    await watchAlpha(f);
    await f.advance(5 * minute);
    expect(f.starts).toHaveLength(0);
    f.source.missing.delete(left);
    await f.advance(minute);
    await f.advance(2 * second);
    expect(f.starts).toHaveLength(1);
    // A watch that stops later is reopened the same way.
    f.source.of(left).fail(new Error('unmounted'));
    await f.advance(minute + 2 * second);
    expect(f.starts).toHaveLength(2);
  });

  test('a handler-wide schedule watches each item that has files; removing the schedule closes the watches', async () => {
    const root = tempDir('synccenter-watch-');
    const plans: Record<string, WatchPlan> = {
      'scripted/alpha': { kind: 'mirror', left: path.join(root, 'a1'), right: path.join(root, 'a2'), exclude: [] },
      'scripted/beta': { kind: 'mirror', left: path.join(root, 'b1'), right: path.join(root, 'b2'), exclude: [] },
    };
    for (const plan of Object.values(plans)) if (plan.kind === 'mirror') for (const side of [plan.left, plan.right]) mkdirSync(side);
    const f = schedulerFixture({ plans });
    cleanups.push(() => {
      f.close();
      rmSync(root, { recursive: true, force: true });
    });
    f.scheduler.start();
    const schedule = await f.calls.saveSchedule({ handlerId: 'scripted', trigger: { kind: 'fileChange' } });
    await f.scheduler.idle();
    expect(f.source.watches.filter((watch) => !watch.closed)).toHaveLength(4);
    writeFileSync(path.join(root, 'b1', 'x.txt'), 'x');
    f.source.of(path.join(root, 'b1')).change('x.txt');
    await f.advance(2 * second);
    expect(f.starts.map((run) => run.itemIds)).toEqual([['beta']]);
    await f.calls.removeSchedule({ id: schedule.id });
    await f.scheduler.idle();
    expect(f.source.watches.filter((watch) => !watch.closed)).toHaveLength(0);
  });
});
