import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../../i18n/format.ts';
import { isIdentical, sideBySideDiff, type DiffCell, type DiffRow } from './textDiff.ts';

/** Props of `DiffView`. */
export interface DiffViewProps {
  readonly left: string;
  readonly right: string;
  /** Column headings ("Left: Laptop"). */
  readonly leftTitle: string;
  readonly rightTitle: string;
}

/** Rows drawn at most; a diff longer than this ends with a line saying how much is not shown. */
const maxRows = 400;

const markers: Record<'changed' | 'only', string> = { changed: '~', only: '+' };

/**
 * Both versions side by side, aligned line by line. Differences are marked three ways so they read without
 * colour: a marker column (+ only in this version, ~ changed), hidden text for screen readers, and highlighted
 * words inside a changed line. Long identical stretches fold into one line.
 */
export function DiffView({ left, right, leftTitle, rightTitle }: DiffViewProps) {
  const { t, i18n } = useTranslation();
  const rows = useMemo(() => sideBySideDiff(left, right), [left, right]);
  if (isIdentical(rows)) return <p className="preview-note">{t('resolve.identical')}</p>;
  const shown = rows.slice(0, maxRows);
  return (
    <div className="diff-wrap">
      <p className="diff-legend" aria-hidden="true">
        <span>
          <b className="diff-marker">+</b> {t('resolve.legendOnly')}
        </span>
        <span>
          <b className="diff-marker">~</b> {t('resolve.legendChanged')}
        </span>
        <span>
          <mark>abc</mark> {t('resolve.legendWords')}
        </span>
      </p>
      <div className="diff-scroll">
        <table className="diff" aria-label={t('resolve.diffLabel')}>
          <colgroup>
            <col className="diff-number-column" />
            <col />
            <col className="diff-number-column" />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th scope="colgroup" colSpan={2}>
                {leftTitle}
              </th>
              <th scope="colgroup" colSpan={2}>
                {rightTitle}
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row, index) => (
              <DiffLine key={index} row={row} />
            ))}
            {rows.length > maxRows && (
              <tr className="diff-gap">
                <td colSpan={4}>{t('resolve.moreLines', { count: rows.length - maxRows, formatted: formatCount(rows.length - maxRows, i18n.language) })}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function DiffLine({ row }: { readonly row: DiffRow }) {
  const { t, i18n } = useTranslation();
  if (row.kind === 'gap') {
    return (
      <tr className="diff-gap">
        <td colSpan={4}>{t('resolve.identicalLines', { count: row.count, formatted: formatCount(row.count, i18n.language) })}</td>
      </tr>
    );
  }
  const change = row.kind === 'same' ? null : row.kind === 'changed' ? 'changed' : 'only';
  return (
    <tr className={`diff-row diff-${row.kind}`}>
      <Cell cell={row.left} change={row.kind === 'rightOnly' ? null : change} side="left" />
      <Cell cell={row.right} change={row.kind === 'leftOnly' ? null : change} side="right" />
    </tr>
  );
}

function Cell({ cell, change, side }: { readonly cell: DiffCell | null; readonly change: 'changed' | 'only' | null; readonly side: 'left' | 'right' }) {
  const { t } = useTranslation();
  if (cell === null) {
    return (
      <>
        <td className="diff-number" />
        <td className="diff-code diff-empty">
          <span className="visually-hidden">{t('resolve.noLineHere')}</span>
        </td>
      </>
    );
  }
  return (
    <>
      <td className="diff-number">{cell.line}</td>
      <td className={change === null ? 'diff-code' : `diff-code diff-${change}`}>
        <span className="diff-marker" aria-hidden="true">
          {change === null ? ' ' : markers[change]}
        </span>
        {change !== null && <span className="visually-hidden">{t(change === 'only' ? `resolve.srOnly.${side}` : 'resolve.srChanged')}</span>}
        {cell.segments.map((segment, index) => (segment.changed ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>))}
      </td>
    </>
  );
}
