/**
 * Runs a session between two providers (the seed's sync session): upload (local → remote), download
 * (remote → local) or two-way (upload, then download). Reports progress by stage, checks for cancellation
 * between batches (how the host's Stop reaches the engine), takes the recovery path when the destination is
 * too far behind, and always ends both providers' sessions.
 */
import type { ChangeBatch } from './changeBatch.ts';
import type { WriteFailure } from './decisionLog.ts';
import { RecoveryRequiredError } from './errors.ts';
import { assertIdFormatsMatch } from './ids.ts';
import type { Knowledge } from './knowledge.ts';
import { emptyStatistics, type BatchWithData, type CollisionPolicy, type ConflictPolicy, type ConflictReport, type KnowledgeSyncProvider, type SessionPolicy, type SyncCallbacks, type SyncStatistics } from './provider.ts';

/** Which way changes flow, seen from the local provider. */
export type SyncDirection = 'upload' | 'download' | 'twoWay';

/** One leg of a session. */
export type SyncLeg = 'upload' | 'download';

/** Stages of a leg, in order. */
export type SyncStage = 'detection' | 'enumeration' | 'application';

/** A progress report: `completed` of `total` changes of the current leg (total 0 while unknown). */
export interface SyncProgress {
  readonly leg: SyncLeg;
  readonly stage: SyncStage;
  readonly completed: number;
  readonly total: number;
}

/** Options of `synchronize`. */
export interface SynchronizeOptions<TUnit> {
  readonly direction: SyncDirection;
  readonly conflictPolicy?: ConflictPolicy;
  readonly collisionPolicy?: CollisionPolicy;
  readonly callbacks?: SyncCallbacks<TUnit>;
  /** Checked between batches; when aborted (or returning true) the session stops and reports `canceled`. */
  readonly signal?: AbortSignal | (() => boolean);
  readonly onProgress?: (progress: SyncProgress) => void;
}

/** Outcome of a session. */
export interface SyncResult<TUnit> {
  readonly status: 'succeeded' | 'canceled';
  readonly upload: SyncStatistics | null;
  readonly download: SyncStatistics | null;
  /** Every conflict found, with what was done. */
  readonly conflicts: ConflictReport<TUnit>[];
  /** Items a destination could not write (each retried by the next session; the rest was committed). */
  readonly failures: WriteFailure[];
  /** Legs that took the recovery path (full enumeration). */
  readonly recoveries: SyncLeg[];
}

/** Synchronizes `local` with `remote`; see the module comment. */
export async function synchronize<TUnit>(local: KnowledgeSyncProvider<TUnit>, remote: KnowledgeSyncProvider<TUnit>, options: SynchronizeOptions<TUnit>): Promise<SyncResult<TUnit>> {
  const result: SyncResult<TUnit> = { status: 'succeeded', upload: null, download: null, conflicts: [], failures: [], recoveries: [] };
  const legs: SyncLeg[] = options.direction === 'twoWay' ? ['upload', 'download'] : [options.direction];
  for (const leg of legs) {
    const statistics = emptyStatistics();
    const finished = leg === 'upload' ? await runLeg(local, remote, leg, options, statistics, result) : await runLeg(remote, local, leg, options, statistics, result);
    if (leg === 'upload') Object.assign(result, { upload: statistics });
    else Object.assign(result, { download: statistics });
    if (!finished) return { ...result, status: 'canceled' };
  }
  return result;
}

/** One direction; returns false when canceled. */
async function runLeg<TUnit>(source: KnowledgeSyncProvider<TUnit>, destination: KnowledgeSyncProvider<TUnit>, leg: SyncLeg, options: SynchronizeOptions<TUnit>, statistics: SyncStatistics, result: SyncResult<TUnit>): Promise<boolean> {
  if (isCanceled(options.signal)) return false;
  assertIdFormatsMatch(source.idFormats, destination.idFormats);
  options.onProgress?.({ leg, stage: 'detection', completed: 0, total: 0 });
  await source.beginSession('source');
  try {
    await destination.beginSession('destination');
  } catch (error) {
    await source.endSession();
    throw error;
  }
  try {
    const callbacks: SyncCallbacks<TUnit> = {
      ...options.callbacks,
      onConflictReported: (report) => {
        result.conflicts.push(report);
        options.callbacks?.onConflictReported?.(report);
      },
      onWriteFailed: (failure) => {
        result.failures.push(failure);
        options.callbacks?.onWriteFailed?.(failure);
      },
    };
    const session: LegSession<TUnit> = { source, destination, leg, options, statistics, callbacks, policy: policyOf(options) };
    const parameters = await destination.getSyncBatchParameters();
    const sourceParameters = await source.getSyncBatchParameters();
    if (parameters.knowledge.contains(sourceParameters.forgottenKnowledge)) return await transfer(session, parameters.knowledge, parameters.requestedBatchSize);
    await askForRecovery(session);
    result.recoveries.push(leg);
    return await transferAll(session, parameters.knowledge, parameters.requestedBatchSize);
  } finally {
    await destination.endSession();
    await source.endSession();
  }
}

interface LegSession<TUnit> {
  readonly source: KnowledgeSyncProvider<TUnit>;
  readonly destination: KnowledgeSyncProvider<TUnit>;
  readonly leg: SyncLeg;
  readonly options: SynchronizeOptions<TUnit>;
  readonly statistics: SyncStatistics;
  readonly callbacks: SyncCallbacks<TUnit>;
  readonly policy: SessionPolicy;
}

/** The normal path: batches of what the destination does not know. */
async function transfer<TUnit>(session: LegSession<TUnit>, initialKnowledge: Knowledge, batchSize: number): Promise<boolean> {
  let knowledge = initialKnowledge;
  let completed = 0;
  for (;;) {
    if (isCanceled(session.options.signal)) return false;
    session.options.onProgress?.({ leg: session.leg, stage: 'enumeration', completed, total: 0 });
    const next = await session.source.getChangeBatch(batchSize, knowledge);
    completed = await applyBatch(session, next, completed, (batch) => session.destination.processChangeBatch(session.policy, batch, next.retriever, session.callbacks, session.statistics));
    if (next.batch.isLastBatch) return true;
    knowledge = (await session.destination.getSyncBatchParameters()).knowledge;
  }
}

/** The recovery path: every source item, so the destination can drop items whose deletion was forgotten. */
async function transferAll<TUnit>(session: LegSession<TUnit>, initialKnowledge: Knowledge, batchSize: number): Promise<boolean> {
  let knowledge = initialKnowledge;
  let lowerBound = '';
  let completed = 0;
  for (;;) {
    if (isCanceled(session.options.signal)) return false;
    session.options.onProgress?.({ leg: session.leg, stage: 'enumeration', completed, total: 0 });
    const next = await session.source.getFullEnumerationChangeBatch(batchSize, lowerBound, knowledge);
    completed = await applyBatch(session, next, completed, () => session.destination.processFullEnumerationChangeBatch(session.policy, next.batch, next.retriever, session.callbacks, session.statistics));
    if (next.batch.upperBound === null) return true;
    lowerBound = next.batch.upperBound;
    knowledge = (await session.destination.getSyncBatchParameters()).knowledge;
  }
}

async function applyBatch<TUnit>(session: LegSession<TUnit>, next: BatchWithData<TUnit>, completed: number, process: (batch: ChangeBatch) => Promise<void>): Promise<number> {
  const total = completed + next.batch.work.batch + next.batch.work.remaining;
  session.options.onProgress?.({ leg: session.leg, stage: 'application', completed, total });
  await process(next.batch);
  const done = completed + next.batch.work.batch;
  session.options.onProgress?.({ leg: session.leg, stage: 'application', completed: done, total });
  return done;
}

async function askForRecovery<TUnit>(session: LegSession<TUnit>): Promise<void> {
  const ask = session.options.callbacks?.onRecoveryRequired;
  if (!ask) throw new RecoveryRequiredError();
  const action = await ask({ source: session.source.replicaId, destination: session.destination.replicaId });
  if (action !== 'fullEnumeration') throw new RecoveryRequiredError();
}

function policyOf<TUnit>(options: SynchronizeOptions<TUnit>): SessionPolicy {
  return { conflicts: options.conflictPolicy ?? 'applicationDefined', collisions: options.collisionPolicy ?? 'applicationDefined' };
}

function isCanceled(signal: AbortSignal | (() => boolean) | undefined): boolean {
  if (!signal) return false;
  return typeof signal === 'function' ? signal() : signal.aborted;
}
