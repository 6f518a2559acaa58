import type { ConflictPolicy } from '../../../app/control/schemas.ts';

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
  /** What happens when both sides changed: ask (the default) or decide automatically. */
  readonly policy: ConflictPolicy;
}

/** The conflict policies in the order the select lists them; `ask` first, as the safe default. */
export const conflictPolicies: readonly ConflictPolicy[] = ['ask', 'newerWins', 'leftWins', 'rightWins', 'keepBoth'];

/** A problem with one field, as an i18n key under `setup.errors.`. */
export type DraftErrors = Partial<Record<'name' | 'first' | 'second', string>>;

/** A fresh form for a kind. */
export function emptyDraft(kind: PartnershipKind): PartnershipDraft {
  return { kind, name: '', first: '', second: '', excludes: '', policy: 'ask' };
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

/**
 * The field a host error is about: the host names the path it refused ("The folder /media/usb does not
 * exist"), so the message goes next to the field holding that path. The longer path is tried first, because
 * one path can be a prefix of the other. Null when the message names neither (it then shows under the form).
 */
export function hostErrorField(message: string, draft: Pick<PartnershipDraft, 'first' | 'second'>): 'first' | 'second' | null {
  const candidates = (['first', 'second'] as const)
    .map((field) => ({ field, path: draft[field].trim() }))
    .filter(({ path }) => path.length > 0)
    .sort((a, b) => b.path.length - a.path.length);
  const match = candidates.find(({ path }) => message.includes(path) || message.includes(path.replace(/[\\/]+$/, '')));
  return match?.field ?? null;
}

/** An example of a full path on the host's platform, for placeholders and the "not a full path" message. */
export function examplePath(kind: PartnershipKind, platform: string | null): string {
  const file = kind === 'xml' ? 'contacts.xml' : 'Documents';
  if (platform === 'win32') return `C:\\Users\\you\\${file}`;
  if (platform === 'darwin') return `/Users/you/${file}`;
  return `/home/you/${file}`;
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
