import { processIo } from './cli-io';
import { closePrompts } from './prompt';
import { runCli } from './run-cli';

const code = await runCli(process.argv.slice(2), processIo);
closePrompts();
process.exitCode = code;
