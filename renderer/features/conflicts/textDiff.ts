import { diffLines, diffWordsWithSpace } from 'diff';

/** A run of text in a diff line; `changed` marks words that differ from the paired line on the other side. */
export interface DiffSegment {
  readonly text: string;
  readonly changed: boolean;
}

/** One side of a diff row: its 1-based line number and text. */
export interface DiffCell {
  readonly line: number;
  readonly segments: readonly DiffSegment[];
}

/**
 * One row of the side-by-side diff. `same`: the line is on both sides; `changed`: both sides have a line here
 * but it differs; `leftOnly` / `rightOnly`: the line exists on one side only. `gap` stands for a run of
 * identical lines folded away so the differences fit on screen.
 */
export type DiffRow =
  | { readonly kind: 'same' | 'changed' | 'leftOnly' | 'rightOnly'; readonly left: DiffCell | null; readonly right: DiffCell | null }
  | { readonly kind: 'gap'; readonly count: number };

/** Lines of context kept around each difference; longer identical runs fold into a gap. */
const context = 3;
/** Word-level highlighting is skipped on very long lines, where it costs more than it helps. */
const maxWordDiffLength = 2_000;
/** Line edits beyond which the versions are treated as unrelated. */
const maxEditLength = 600;

/**
 * A side-by-side line diff of two versions (left and right of a conflict). Neither side is "old": a line that
 * exists only on the left is `leftOnly`, not "removed". A block that differs on both sides is paired line by
 * line so a changed line sits next to its counterpart, with the differing words marked.
 */
export function sideBySideDiff(left: string, right: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let leftLine = 1;
  let rightLine = 1;
  // Two unrelated texts would cost the diff quadratic time; past a bound, show them apart instead of pairing.
  const found = diffLines(left, right, { maxEditLength });
  const related = found !== undefined;
  const parts = found ?? [
    { value: left, removed: true, added: false, count: 0 },
    { value: right, removed: false, added: true, count: 0 },
  ];
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index];
    if (part === undefined) continue;
    const lines = splitLines(part.value);
    if (!part.added && !part.removed) {
      for (const text of lines) rows.push({ kind: 'same', left: plain(leftLine++, text), right: plain(rightLine++, text) });
      continue;
    }
    const next = parts[index + 1];
    const removed = part.removed ? lines : [];
    const added = part.added ? lines : part.removed && next?.added === true ? splitLines(next.value) : [];
    if (part.removed && next?.added === true) index++;
    const paired = Math.max(removed.length, added.length);
    for (let offset = 0; offset < paired; offset++) {
      const l = removed[offset];
      const r = added[offset];
      if (l !== undefined && r !== undefined) {
        const [leftSegments, rightSegments] = related ? wordSegments(l, r) : [[{ text: l, changed: true }], [{ text: r, changed: true }]];
        rows.push({ kind: 'changed', left: { line: leftLine++, segments: leftSegments }, right: { line: rightLine++, segments: rightSegments } });
      } else if (l !== undefined) rows.push({ kind: 'leftOnly', left: plain(leftLine++, l), right: null });
      else if (r !== undefined) rows.push({ kind: 'rightOnly', left: null, right: plain(rightLine++, r) });
    }
  }
  return foldUnchanged(rows);
}

/** True when the diff found no difference at all. */
export function isIdentical(rows: readonly DiffRow[]): boolean {
  return rows.every((row) => row.kind === 'same' || row.kind === 'gap');
}

function plain(line: number, text: string): DiffCell {
  return { line, segments: [{ text, changed: false }] };
}

function splitLines(value: string): string[] {
  const lines = value.split(/\r?\n/);
  // diffLines keeps each line's newline; the last split piece after it is empty, not a line.
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function wordSegments(left: string, right: string): [DiffSegment[], DiffSegment[]] {
  if (left.length > maxWordDiffLength || right.length > maxWordDiffLength) {
    return [[{ text: left, changed: true }], [{ text: right, changed: true }]];
  }
  const leftSegments: DiffSegment[] = [];
  const rightSegments: DiffSegment[] = [];
  for (const change of diffWordsWithSpace(left, right)) {
    if (!change.added) leftSegments.push({ text: change.value, changed: change.removed });
    if (!change.removed) rightSegments.push({ text: change.value, changed: change.added });
  }
  return [leftSegments, rightSegments];
}

function foldUnchanged(rows: readonly DiffRow[]): DiffRow[] {
  const keep = rows.map((row) => row.kind !== 'same');
  rows.forEach((row, index) => {
    if (row.kind === 'same') return;
    for (let near = Math.max(0, index - context); near <= Math.min(rows.length - 1, index + context); near++) keep[near] = true;
  });
  const folded: DiffRow[] = [];
  let hidden = 0;
  rows.forEach((row, index) => {
    if (keep[index]) {
      if (hidden > 0) folded.push({ kind: 'gap', count: hidden });
      hidden = 0;
      folded.push(row);
    } else hidden++;
  });
  if (hidden > 0) folded.push({ kind: 'gap', count: hidden });
  return folded;
}
