import { describe, expect, it } from 'vitest';
import { isIdentical, sideBySideDiff, type DiffRow } from './textDiff.ts';

const texts = (rows: DiffRow[]) =>
  rows.map((row) => (row.kind === 'gap' ? `gap ${row.count}` : `${row.kind} ${row.left?.segments.map((s) => s.text).join('') ?? '∅'} | ${row.right?.segments.map((s) => s.text).join('') ?? '∅'}`));

describe('sideBySideDiff', () => {
  it('pairs changed lines and keeps one-sided lines on their side', () => {
    const rows = sideBySideDiff('a\nb\nc\n', 'a\nB\nc\nd\n');
    expect(texts(rows)).toEqual(['same a | a', 'changed b | B', 'same c | c', 'rightOnly ∅ | d']);
    expect(isIdentical(rows)).toBe(false);
  });

  it('numbers lines on each side independently', () => {
    const rows = sideBySideDiff('x\ny\n', 'y\n');
    expect(rows[0]).toMatchObject({ kind: 'leftOnly', left: { line: 1 }, right: null });
    expect(rows[1]).toMatchObject({ kind: 'same', left: { line: 2 }, right: { line: 1 } });
  });

  it('marks the differing words of a changed line', () => {
    const [row] = sideBySideDiff('the quick fox', 'the slow fox');
    expect(row).toMatchObject({ kind: 'changed' });
    if (row?.kind !== 'changed') return;
    expect(row.left?.segments.filter((s) => s.changed).map((s) => s.text)).toEqual(['quick']);
    expect(row.right?.segments.filter((s) => s.changed).map((s) => s.text)).toEqual(['slow']);
  });

  it('folds long identical runs around the differences', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const changed = lines.with(10, 'changed');
    const rows = sideBySideDiff(lines.join('\n'), changed.join('\n'));
    expect(texts(rows)).toEqual(['gap 7', 'same line 7 | line 7', 'same line 8 | line 8', 'same line 9 | line 9', 'changed line 10 | changed', 'same line 11 | line 11', 'same line 12 | line 12', 'same line 13 | line 13', 'gap 6']);
  });

  it('says when both versions read the same', () => {
    expect(isIdentical(sideBySideDiff('same\r\nline\r\n', 'same\r\nline\r\n'))).toBe(true);
  });
});

describe('sideBySideDiff on unrelated texts', () => {
  it('gives up pairing past the edit bound and still shows both sides', () => {
    const left = Array.from({ length: 2000 }, (_, i) => `a${i}`).join('\n');
    const right = Array.from({ length: 2000 }, (_, i) => `b${i}`).join('\n');
    const rows = sideBySideDiff(left, right);
    expect(rows.length).toBe(2000);
    expect(rows[0]).toMatchObject({ kind: 'changed', left: { line: 1 }, right: { line: 1 } });
  });
});
