import { parseArgs } from 'node:util';
import { ApiError } from '../../shared/envelope';
import { DataDirInUseError } from '../data-dir/instance-lock';
import { StoreError } from '../store/store-errors';
import { UsageError, type CliIo } from './cli-io';
import { availabilityCommand, availabilityHelp } from './commands/availability-command';
import { devnetCommand, devnetHelp } from './commands/devnet-command';
import { earningsCommand, earningsHelp } from './commands/earnings-command';
import { gpuCommand, gpuHelp } from './commands/gpu-command';
import { jobCommand, jobHelp } from './commands/job-command';
import { marketCommand, marketHelp } from './commands/market-command';
import { networkCommand, networkHelp } from './commands/network-command';
import { rentCommand, rentHelp } from './commands/rent-command';
import { walletCommand, walletHelp } from './commands/wallet-command';
import { scheduleCommand, scheduleHelp } from './commands/schedule-command';
import { serveCommand, serveHelp } from './commands/serve-command';
import { settingsCommand, settingsHelp } from './commands/settings-command';

const HELP = `Nocturne ${__APP_VERSION__}: rent out your idle GPU and get paid in crypto.

Usage: nocturne <command> [options]

Commands:
  serve       run headless and serve the UI on 127.0.0.1
  gpu         list, watch and benchmark GPUs
  schedule    show or set the weekly hours your GPU is for rent
  availability  whether the GPU is for rent now (or at --at), and why
  job         run a job in the sandbox; list, follow and cancel jobs
  wallet      create, import and use the wallet: address, balance, send
  network     list, add, remove, select and check EVM networks
  market      this machine's provider node; list offers; ask for a quote; suggest a price; replay a market stream
  rent        rent a provider's GPU for a job spec: pick, pay by the second, get the outputs
  earnings    what renting earned, net of electricity; export it as CSV for taxes
  settings    show or change settings
  devnet      run a local test chain with funded accounts and a test stablecoin
  help [CMD]  show help for a command

Common options:
  --data-dir DIR  data directory (default: NOCTURNE_HOME, else the OS's app-data folder)
  --json          print data as JSON
  --version       print the version`;

const commandHelp: Record<string, string> = {
  serve: serveHelp,
  settings: settingsHelp,
  gpu: gpuHelp,
  schedule: scheduleHelp,
  availability: availabilityHelp,
  job: jobHelp,
  wallet: walletHelp,
  network: networkHelp,
  market: marketHelp,
  rent: rentHelp,
  earnings: earningsHelp,
  devnet: devnetHelp,
};

/** Runs one command line and returns the exit code: 0 done, 1 failed, 2 called wrongly (rent adds 3). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        interval: { type: 'string' },
        tz: { type: 'string' },
        window: { type: 'string', multiple: true },
        preset: { type: 'string' },
        clear: { type: 'boolean' },
        reset: { type: 'boolean' },
        at: { type: 'string' },
        follow: { type: 'boolean', short: 'f' },
        json: { type: 'boolean' },
        network: { type: 'string' },
        native: { type: 'boolean' },
        yes: { type: 'boolean', short: 'y' },
        'private-key': { type: 'boolean' },
        name: { type: 'string' },
        'chain-id': { type: 'string' },
        rpc: { type: 'string', multiple: true },
        explorer: { type: 'string' },
        symbol: { type: 'string' },
        token: { type: 'string' },
        id: { type: 'string' },
        hours: { type: 'string' },
        vram: { type: 'string' },
        gpus: { type: 'string' },
        policy: { type: 'string' },
        'max-price': { type: 'string' },
        provider: { type: 'string' },
        out: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
    const [command, ...rest] = positionals;
    if (values.version) {
      io.out(`${__APP_VERSION__}\n`);
      return 0;
    }
    if (!command || command === 'help' || values.help) {
      const topic = command === 'help' ? rest[0] : command;
      io.out(`${(topic && commandHelp[topic]) || HELP}\n`);
      return 0;
    }
    switch (command) {
      case 'serve':
        if (rest.length > 0) throw new UsageError(`serve takes no arguments, got "${rest.join(' ')}".`);
        return await serveCommand(values, io);
      case 'settings':
        return await settingsCommand(rest, values, io);
      case 'gpu':
        return await gpuCommand(rest, values, io);
      case 'job':
        return await jobCommand(rest, values, io);
      case 'wallet':
        return await walletCommand(rest, values, io);
      case 'network':
        return await networkCommand(rest, values, io);
      case 'market':
        return await marketCommand(rest, values, io);
      case 'rent':
        return await rentCommand(rest, values, io);
      case 'earnings':
        return await earningsCommand(rest, values, io);
      case 'schedule':
        return await scheduleCommand(rest, values, io);
      case 'availability':
        if (rest.length > 0)
          throw new UsageError(`availability takes no arguments, got "${rest.join(' ')}".`);
        return await availabilityCommand(values, io);
      case 'devnet':
        if (rest.length > 0) throw new UsageError(`devnet takes no arguments, got "${rest.join(' ')}".`);
        return await devnetCommand(values, io);
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`nocturne: ${(error as Error).message}\nRun \`nocturne help\` for usage.\n`);
      return 2;
    }
    if (error instanceof ApiError || error instanceof StoreError || error instanceof DataDirInUseError) {
      io.err(`nocturne: ${error.message}\n`);
      return 1;
    }
    io.err(`nocturne: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
