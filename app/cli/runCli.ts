/**
 * Runs the `synccenter` command line. Exit codes: 0 all succeeded with no open conflicts, 1 some item failed,
 * 2 usage or bad input, 3 finished with open conflicts. `--json` prints the documents of `cliJson` (contract); human
 * text is in the language of `env`, the help and commander's own parse errors too (`parseErrors.ts`).
 */
import { Command, CommanderError } from 'commander';
import { ControlError } from '../control/result.ts';
import { cliLanguage, cliText } from './cliText.ts';
import { registerCommands, type CliContext } from './commands.ts';
import { translateParseError } from './parseErrors.ts';
import { processIo, type CliIo } from './output.ts';

/** Error codes that mean the input was wrong (exit 2) rather than the sync (exit 1). */
const badInputCodes = new Set(['BAD_REQUEST', 'BAD_PATH', 'NOT_FOUND', 'BAD_STATE', 'NOT_SUPPORTED', 'USAGE', 'UNKNOWN_CALL']);

/** The headings of commander's help, in the CLI's language. */
function helpTitles(t: ReturnType<typeof cliText>): Record<string, string> {
  return { 'Usage:': t('help.usage'), 'Arguments:': t('help.arguments'), 'Options:': t('help.options'), 'Global Options:': t('help.globalOptions'), 'Commands:': t('help.commands') };
}

/** Runs the CLI on `argv` (without node and script); resolves with the exit code. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, io: CliIo = processIo): Promise<number> {
  const language = cliLanguage(env);
  const t = cliText(language);
  const titles = helpTitles(t);
  const program = new Command('synccenter')
    .description(t('program.description'))
    .option('--data-dir <dir>', t('program.dataDir'))
    .option('--json', t('program.json'))
    .helpOption('-h, --help', t('help.option'))
    .helpCommand('help [command]', t('help.command'))
    // Commander styles each heading through styleTitle ("Usage:", "Options:", …): the hook that translates them.
    .configureHelp({ styleTitle: (title) => titles[title] ?? title })
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()), outputError: (text, write) => write(translateParseError(text, t)) });
  const context: CliContext = { env, io, language, exitCode: 0, global: () => program.opts<{ dataDir?: string; json?: boolean }>() };
  registerCommands(program, context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    return reportError(error, context);
  }
}

function reportError(error: unknown, context: CliContext): number {
  if (error instanceof CommanderError) {
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? 0 : 2;
  }
  const code = error instanceof ControlError ? error.code : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  if (context.global().json === true) context.io.out(JSON.stringify({ error: { code, message } }));
  else context.io.err(cliText(context.language)('program.failed', { message }));
  return badInputCodes.has(code) ? 2 : 1;
}

