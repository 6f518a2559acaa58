/**
 * Commander's own parse errors ("error: unknown option '--x'", …) in the CLI's language. Commander words them in
 * English with no hook for their text, only for their output (`outputError`): each known shape is matched and
 * rewritten from the CLI's catalog, with the names and values it quotes kept as they are. A message of no known
 * shape (a newer commander's) is printed as commander wrote it; the French tests pin every shape.
 */
import type { TFunction } from 'i18next';

/** One commander message shape and how to say it again: the catalog key and its values from the match. */
interface Shape {
  readonly pattern: RegExp;
  readonly say: (t: TFunction<'cli'>, match: RegExpExecArray) => string;
}

const shapes: readonly Shape[] = [
  { pattern: /^error: unknown option '(.+?)'$/, say: (t, m) => t('parse.unknownOption', { option: m[1] }) },
  { pattern: /^error: unknown command '(.+?)'$/, say: (t, m) => t('parse.unknownCommand', { command: m[1] }) },
  { pattern: /^error: missing required argument '(.+?)'$/, say: (t, m) => t('parse.missingArgument', { argument: m[1] }) },
  { pattern: /^error: option '(.+?)' argument missing$/, say: (t, m) => t('parse.optionMissingArgument', { option: m[1] }) },
  { pattern: /^error: required option '(.+?)' not specified$/, say: (t, m) => t('parse.missingOption', { option: m[1] }) },
  { pattern: /^error: (.+?) cannot be used with (.+)$/, say: (t, m) => t('parse.conflictingOption', { option: m[1], other: m[2] }) },
  {
    pattern: /^error: too many arguments(?: for '(.+?)')?\. Expected (\d+) arguments? but got (\d+): (.+)\.$/,
    say: (t, m) => t(m[1] === undefined ? 'parse.excessArguments' : 'parse.excessArgumentsFor', { command: m[1], count: Number(m[2]), received: Number(m[3]), details: m[4] }),
  },
  { pattern: /^error: option '(.+?)' argument '(.*?)' is invalid\. (.*)$/s, say: (t, m) => t('parse.invalidOption', { option: m[1], value: m[2], reason: m[3] }) },
  { pattern: /^error: command-argument value '(.*?)' is invalid for argument '(.+?)'\. (.*)$/s, say: (t, m) => t('parse.invalidArgument', { argument: m[2], value: m[1], reason: m[3] }) },
];

/** The suggestions commander appends: "(Did you mean x?)" and "(Did you mean one of x, y?)". */
const suggestion = /\n\(Did you mean (one of )?(.+)\?\)$/;

/** `text` (one commander error, as it would print it) in the CLI's language. */
export function translateParseError(text: string, t: TFunction<'cli'>): string {
  const trailing = text.endsWith('\n') ? '\n' : '';
  let body = trailing === '' ? text : text.slice(0, -1);
  let hint = '';
  const suggested = suggestion.exec(body);
  if (suggested !== null) {
    body = body.slice(0, suggested.index);
    hint = `\n${t(suggested[1] === undefined ? 'parse.didYouMean' : 'parse.didYouMeanOneOf', { candidates: suggested[2] })}`;
  }
  for (const shape of shapes) {
    const match = shape.pattern.exec(body);
    if (match !== null) return `${shape.say(t, match)}${hint}${trailing}`;
  }
  return text;
}
