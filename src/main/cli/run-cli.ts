import { parseArgs } from 'node:util';
import { ApiError } from '../../shared/envelope';
import { DataDirInUseError } from '../data-dir/instance-lock';
import { StoreError } from '../store/store-errors';
import { UsageError, type CliIo } from './cli-io';
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

/**
 * Each command's module, loaded when it runs (or its help is asked for): `serve` at rest then never loads
 * what only other commands need (libp2p for quotes and rentals, the devnet's engine), which keeps the
 * long-running agent small (npm run bench:footprint).
 */
const COMMANDS = {
  serve: async () => ({ help: (await import('./commands/serve-command')).serveHelp }),
  settings: async () => ({ help: (await import('./commands/settings-command')).settingsHelp }),
  gpu: async () => ({ help: (await import('./commands/gpu-command')).gpuHelp }),
  schedule: async () => ({ help: (await import('./commands/schedule-command')).scheduleHelp }),
  availability: async () => ({ help: (await import('./commands/availability-command')).availabilityHelp }),
  job: async () => ({ help: (await import('./commands/job-command')).jobHelp }),
  wallet: async () => ({ help: (await import('./commands/wallet-command')).walletHelp }),
  network: async () => ({ help: (await import('./commands/network-command')).networkHelp }),
  market: async () => ({ help: (await import('./commands/market-command')).marketHelp }),
  rent: async () => ({ help: (await import('./commands/rent-command')).rentHelp }),
  earnings: async () => ({ help: (await import('./commands/earnings-command')).earningsHelp }),
  devnet: async () => ({ help: (await import('./commands/devnet-command')).devnetHelp }),
} as const;

async function helpFor(topic: string | undefined): Promise<string> {
  if (!topic || !Object.hasOwn(COMMANDS, topic)) return HELP;
  return (await COMMANDS[topic as keyof typeof COMMANDS]()).help;
}

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
      io.out(`${await helpFor(topic)}\n`);
      return 0;
    }
    switch (command) {
      case 'serve':
        if (rest.length > 0) throw new UsageError(`serve takes no arguments, got "${rest.join(' ')}".`);
        return await (await import('./commands/serve-command')).serveCommand(values, io);
      case 'settings':
        return await (await import('./commands/settings-command')).settingsCommand(rest, values, io);
      case 'gpu':
        return await (await import('./commands/gpu-command')).gpuCommand(rest, values, io);
      case 'job':
        return await (await import('./commands/job-command')).jobCommand(rest, values, io);
      case 'wallet':
        return await (await import('./commands/wallet-command')).walletCommand(rest, values, io);
      case 'network':
        return await (await import('./commands/network-command')).networkCommand(rest, values, io);
      case 'market':
        return await (await import('./commands/market-command')).marketCommand(rest, values, io);
      case 'rent':
        return await (await import('./commands/rent-command')).rentCommand(rest, values, io);
      case 'earnings':
        return await (await import('./commands/earnings-command')).earningsCommand(rest, values, io);
      case 'schedule':
        return await (await import('./commands/schedule-command')).scheduleCommand(rest, values, io);
      case 'availability':
        if (rest.length > 0)
          throw new UsageError(`availability takes no arguments, got "${rest.join(' ')}".`);
        return await (await import('./commands/availability-command')).availabilityCommand(values, io);
      case 'devnet':
        if (rest.length > 0) throw new UsageError(`devnet takes no arguments, got "${rest.join(' ')}".`);
        return await (await import('./commands/devnet-command')).devnetCommand(values, io);
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
