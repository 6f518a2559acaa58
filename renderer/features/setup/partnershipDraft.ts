/** The kinds of partnership the window can set up, one per built-in handler. */
export type PartnershipKind = 'folders' | 'xml';
export const partnershipKinds: readonly PartnershipKind[] = ['folders', 'xml'];

/** The setup form's values. */
export interface PartnershipDraft {
  readonly kind: PartnershipKind;
  readonly name: string;
  readonly first: string;
  readonly second: string;
  /** One gitignore-style pattern per line. */
  readonly excludes: string;
}

/** A problem with one field, as an i18n key under `setup.errors.`. */
export type DraftErrors = Partial<Record<'name' | 'first' | 'second', string>>;

/** A fresh form for a kind. */
export function emptyDraft(kind: PartnershipKind): PartnershipDraft {
  return { kind, name: '', first: '', second: '', excludes: '' };
}

/**
 * Checks what can be known in the window before asking the host: names present, paths absolute, the two sides
 * different and not inside one another (syncing a folder into itself would recurse). Whether a path exists is
 * the host's job; it answers with its own message.
 */
export function validateDraft(draft: PartnershipDraft): DraftErrors {
  const errors: DraftErrors = {};
  if (draft.name.trim().length === 0) errors.name = 'nameRequired';
  else if (draft.name.trim().length > 128) errors.name = 'nameTooLong';
  const first = pathError(draft.first, draft.kind);
  const second = pathError(draft.second, draft.kind);
  if (first !== null) errors.first = first;
  if (second !== null) errors.second = second;
  if (first === null && second === null) {
    const a = normalizePath(draft.first);
    const b = normalizePath(draft.second);
    if (a === b) errors.second = 'samePath';
    else if (draft.kind === 'folders' && (isInside(a, b) || isInside(b, a))) errors.second = 'nestedPath';
  }
  return errors;
}

/** The exclude patterns as a clean list: trimmed, without blanks or comments. */
export function excludePatterns(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

function pathError(value: string, kind: PartnershipKind): string | null {
  const path = value.trim();
  if (path.length === 0) return kind === 'folders' ? 'folderRequired' : 'fileRequired';
  if (!isAbsolute(path)) return 'notAbsolute';
  if (kind === 'xml' && !path.toLowerCase().endsWith('.xml')) return 'notXml';
  return null;
}

/** POSIX `/x`, Windows `C:\x` or `C:/x`, and UNC `\\server\share` paths are absolute. */
function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

function normalizePath(path: string): string {
  const unified = path.trim().replaceAll('\\', '/').replace(/\/+$/, '');
  // Windows paths compare without case; POSIX paths keep it.
  return /^[A-Za-z]:\//.test(unified) || unified.startsWith('//') ? unified.toLowerCase() : unified;
}

function isInside(parent: string, child: string): boolean {
  return child.startsWith(`${parent}/`);
}
