/**
 * Builds a `WHERE` clause from optional equality filters, so list queries stay parameterized.
 */

/** A column and the value it must equal; undefined values are left out. */
export type EqualityFilter = readonly [column: string, value: string | number | undefined];

/** Returns the clause (empty when no filter applies) and its arguments, in order. */
export function whereEqual(filters: readonly EqualityFilter[]): { clause: string; args: (string | number)[] } {
  const present = filters.filter((filter): filter is readonly [string, string | number] => filter[1] !== undefined);
  return {
    clause: present.length > 0 ? `WHERE ${present.map(([column]) => `${column} = ?`).join(' AND ')}` : '',
    args: present.map(([, value]) => value),
  };
}
