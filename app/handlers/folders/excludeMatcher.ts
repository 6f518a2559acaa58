/**
 * Per-item exclude patterns in gitignore syntax (via `ignore`). Directories are tested with a trailing slash so
 * a pattern like `build/` matches the folder and not a file of that name.
 */
import ignore from 'ignore';

/** Decides whether a replica-relative path is excluded from sync. */
export interface ExcludeMatcher {
  /** True when `relativePath` (a directory when `isDirectory`) or one of its parent folders is excluded. */
  isExcluded(relativePath: string, isDirectory: boolean): boolean;
}

/** Builds a matcher from gitignore-style patterns; with no patterns nothing is excluded. */
export function createExcludeMatcher(patterns: readonly string[] = []): ExcludeMatcher {
  const active = patterns.map((pattern) => pattern.trim()).filter((pattern) => pattern.length > 0);
  if (active.length === 0) return { isExcluded: () => false };
  const rules = ignore().add(active);
  return {
    isExcluded(relativePath: string, isDirectory: boolean): boolean {
      return rules.ignores(isDirectory ? `${relativePath}/` : relativePath);
    },
  };
}
