import type { HandlerType } from '../../app/control/schemas.ts';
import en from './en.json';

/** What a handler says about its kind: its id, SYNCMGR type and the host's (English) label. */
export interface TypeLabelSource {
  readonly id: string;
  readonly type: HandlerType;
  readonly typeLabel: string;
}

const builtInHandlers: ReadonlySet<string> = new Set(Object.keys(en.handlerTypes.handlers));

// The English labels we ship, folded (a built-in handler's label wins over a generic one), so a host that sends one of them gets it translated.
const knownLabels: ReadonlyMap<string, string> = new Map([
  ...Object.entries(en.handlerTypes.types).map(([type, label]) => [fold(label), `handlerTypes.types.${type}`] as const),
  ...Object.entries(en.handlerTypes.handlers).map(([id, label]) => [fold(label), `handlerTypes.handlers.${id}`] as const),
]);

/**
 * The i18n key for a handler's type label, or null to show the host's label as is. The host speaks English
 * only, so labels we know (the built-in handlers, the generic label of each type, or an empty label) are
 * translated; a third-party handler's own wording ("Mail folders") is shown unchanged rather than replaced
 * by a vaguer generic word.
 */
export function typeLabelKey(source: TypeLabelSource): string | null {
  if (builtInHandlers.has(source.id)) return `handlerTypes.handlers.${source.id}`;
  const label = fold(source.typeLabel);
  if (label.length === 0) return `handlerTypes.types.${source.type}`;
  return knownLabels.get(label) ?? null;
}

/** The type label to show, in the current language when we know it. */
export function handlerTypeLabel(source: TypeLabelSource, t: (key: string) => string): string {
  const key = typeLabelKey(source);
  return key === null ? source.typeLabel : t(key);
}

function fold(text: string): string {
  return text.trim().toLocaleLowerCase('en');
}
