import type { Virtualizer, VirtualItem } from '@tanstack/react-virtual';

/** The rows of a virtualized `<table>` in view, and the heights of those not rendered above and below them. */
export interface TableWindow {
  readonly rows: readonly VirtualItem[];
  readonly before: number;
  readonly after: number;
}

/** Overscan of the virtualized tables: rows rendered beyond the visible ones, so fast scrolling shows no gap. */
export const tableOverscan = 12;

/**
 * Virtualized rows for a plain `<table>` (Sync results, Sync conflicts): only the rows in view, plus some overscan,
 * are in the DOM, and spacer rows keep the scroll height, so thousands of events or conflicts scroll smoothly while
 * the table keeps its native semantics (give it aria-rowcount, and each row aria-rowindex). Rows are measured
 * (`ref={virtualizer.measureElement}` and `data-index`), so wrapped text keeps its real height.
 */
export function tableWindow(virtualizer: Virtualizer<HTMLDivElement, Element>): TableWindow {
  const rows = virtualizer.getVirtualItems();
  const before = rows[0]?.start ?? 0;
  const after = Math.max(0, virtualizer.getTotalSize() - (rows.at(-1)?.end ?? 0));
  return { rows, before, after };
}

/** Stands in for the rows not rendered; hidden from assistive technology, which learns the size from aria-rowcount. */
export function SpacerRow({ height, columns }: { readonly height: number; readonly columns: number }) {
  if (height <= 0) return null;
  return (
    <tr aria-hidden="true" className="spacer-row">
      <td colSpan={columns} style={{ blockSize: `${height}px` }} />
    </tr>
  );
}
