/**
 * Entry point of the `synccenter` command (bin/synccenter.mjs imports this file). Every command resolves when it
 * is done (`serve` on SIGINT/SIGTERM); then the process exits with the command's code.
 */
import { runCli } from './runCli.ts';

const code = await runCli(process.argv.slice(2));
process.exit(code);
