/**
 * Progress of a folder pair sync by stage (scanning, comparing, transferring) with files and bytes done and
 * total and an ETA, coalesced at the source: at most one report per `intervalMs`, plus every stage change.
 */
import type { FolderPlan } from './folderReplica.ts';

/** One progress report. */
export interface FolderProgress {
  readonly stage: 'scanning' | 'comparing' | 'transferring' | 'finished';
  /** Scanning and comparing: entries found on both sides; transferring: files copied (or found already there). */
  readonly filesDone: number;
  /** 0 while unknown (scanning, comparing). */
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  /** Estimated ms left, from the transfer rate so far; undefined until the rate means something (`ETA_AFTER_MS`). */
  readonly etaMs?: number;
}

/** The meter a sync feeds. */
export interface ProgressMeter {
  stage(stage: FolderProgress['stage']): void;
  /** A scan callback for one side (entries scanned so far). */
  scanned(side: 'left' | 'right'): (entries: number) => void;
  /** Sets the totals from the plans: the files added or changed on either side, and their bytes. */
  startTransfer(plans: readonly FolderPlan[]): void;
  readonly bytes: (bytes: number) => void;
  /** A file's content is copied (or found already in place); called once per file. */
  readonly fileDone: (bytes: number) => void;
  finish(): void;
}

/** A meter reporting through `report` (nothing when undefined), timed by the clock port `now`. */
export function createProgressMeter(now: () => number, report: ((progress: FolderProgress) => void) | undefined, intervalMs = 100): ProgressMeter {
  let current: FolderProgress = { stage: 'scanning', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };
  let lastReport = Number.NEGATIVE_INFINITY;
  let transferStart = 0;
  const scannedBySide = { left: 0, right: 0 };
  const emit = (force: boolean) => {
    const time = now();
    if (!force && time - lastReport < intervalMs) return;
    lastReport = time;
    report?.(withEta(current, time - transferStart));
  };
  const update = (change: Partial<FolderProgress>, force = false) => {
    current = { ...current, ...change };
    emit(force);
  };
  return {
    stage: (stage) => update({ stage }, true),
    scanned: (side) => (entries) => {
      scannedBySide[side] = entries;
      update({ filesDone: scannedBySide.left + scannedBySide.right });
    },
    startTransfer: (plans) => {
      transferStart = now();
      const changed = plans.flatMap((plan) => [...plan.changes.added, ...plan.changes.modified.map((change) => change.entry)]).filter((entry) => entry.kind === 'file');
      update({ stage: 'transferring', filesDone: 0, bytesDone: 0, filesTotal: changed.length, bytesTotal: changed.reduce((sum, entry) => sum + entry.size, 0) }, true);
    },
    bytes: (bytes) => update({ bytesDone: current.bytesDone + bytes }),
    fileDone: () => update({ filesDone: current.filesDone + 1 }),
    finish: () => update({ stage: 'finished', filesTotal: Math.max(current.filesTotal, current.filesDone), bytesTotal: Math.max(current.bytesTotal, current.bytesDone) }, true),
  };
}

/**
 * The transfer time before an ETA is given: the first milliseconds' rate (the first copies, while the threads start and
 * the first batch is planned) says little, and an ETA of an hour that becomes seconds is worse than none.
 */
export const ETA_AFTER_MS = 1000;

function withEta(progress: FolderProgress, elapsedMs: number): FolderProgress {
  if (progress.stage !== 'transferring' || progress.bytesDone === 0 || elapsedMs < ETA_AFTER_MS) return progress;
  const rate = progress.bytesDone / elapsedMs;
  return { ...progress, etaMs: Math.max(0, Math.round((progress.bytesTotal - progress.bytesDone) / rate)) };
}
