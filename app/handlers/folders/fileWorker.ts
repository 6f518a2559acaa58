/**
 * A thread of `FileWorkPool`: copies small files into temporary files and hashes small files, a chunk of jobs per
 * message, with the same synchronous code the main thread runs (`copySmallToTemp`, `hashFileSync`). Every job
 * ends as a result, a failure as the error's data (`folderErrorData`); the thread itself never throws.
 */
import { parentPort } from 'node:worker_threads';
import { hashFileSync } from './contentHash.ts';
import { copySmallToTemp } from './copyToTemp.ts';
import { folderErrorData, settleSync, type FolderAction } from './errors.ts';
import type { WorkOutcome, WorkRequest, WorkResponse } from './fileWorkPool.ts';

/** Destination folders this thread made or found, for the batch (`generation`) they were made in. */
let madeFolders = new Set<string>();
let madeInGeneration = -1;

function outcome<T>(displayPath: string, action: FolderAction, body: () => T): WorkOutcome<T> {
  const settled = settleSync(body, displayPath, action);
  return settled.ok ? settled : { ok: false, error: folderErrorData(settled.error) };
}

function handle(request: WorkRequest): WorkResponse {
  if (request.kind === 'hash') {
    return { id: request.id, kind: 'hash', outcomes: request.jobs.map((job) => outcome(job.displayPath, 'reading', () => hashFileSync(job.absolutePath, job.displayPath, job.size))) };
  }
  if (request.generation !== madeInGeneration) {
    // A new batch: a folder made for an earlier one may have been removed since.
    madeFolders = new Set();
    madeInGeneration = request.generation;
  }
  const control = { madeFolders, ...(request.keepModes === undefined ? {} : { keepModes: request.keepModes }) };
  return { id: request.id, kind: 'copy', outcomes: request.jobs.map((job) => outcome(job.sourcePath, 'copying', () => copySmallToTemp(job, control))) };
}

parentPort?.on('message', (request: WorkRequest) => parentPort?.postMessage(handle(request)));
