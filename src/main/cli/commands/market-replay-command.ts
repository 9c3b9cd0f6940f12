import { readFile } from 'node:fs/promises';
import { MarketStreamError, parseMarketStream, type MarketStream } from '../../pricing/market-stream';
import { POLICY_NAMES, runPolicy, type PolicyName } from '../../pricing/policies';
import { printData, UsageError, type CliIo } from '../cli-io';

export const marketReplayHelp = `  replay STREAM.json [--policy engine|greedy|optimum]
                               replays a recorded stream of requests (the owner's windows, GPUs, tariff,
                               floor, and each request's arrival, duration, price and memory) and prints
                               what was accepted, the revenue, the electricity and the net. engine (the
                               default) and greedy see each request only at its arrival; optimum is the
                               best schedule with the whole stream known in advance`;

/** Streams are JSON; anything this big is not one this command should chew on. */
const MAX_STREAM_BYTES = 256 * 1024 * 1024;

/** `nocturne market replay STREAM.json`: 0 done, 2 called wrongly or a stream that cannot be replayed. */
export async function marketReplayCommand(
  args: string[],
  values: { policy?: string; json?: boolean },
  io: CliIo,
): Promise<number> {
  if (args.length !== 1) throw new UsageError('Usage: nocturne market replay STREAM.json [--policy NAME]');
  const policy = values.policy ?? 'engine';
  if (!(POLICY_NAMES as readonly string[]).includes(policy))
    throw new UsageError(`--policy must be one of ${POLICY_NAMES.join(', ')}, not "${policy}".`);
  const file = args[0]!;

  let stream: MarketStream;
  try {
    stream = parseMarketStream(await readJson(file));
  } catch (error) {
    if (!(error instanceof MarketStreamError || error instanceof UnreadableStream)) throw error;
    io.err(`nocturne: ${file}: ${error.message}\n`);
    return 2;
  }

  const run = runPolicy(stream, policy as PolicyName);
  printData(io, values.json === true, run.summary, () => {
    const { accepted, revenue, energyCost, net } = run.summary;
    const n = stream.requests.length;
    const gpus = stream.gpus.length;
    const lines = [
      `${policy} over ${n} request${n === 1 ? '' : 's'}, ${gpus} GPU${gpus === 1 ? '' : 's'}, ${stream.timezone}:`,
      `  accepted  ${accepted.length}${accepted.length > 0 ? `: ${listIds(accepted)}` : ''}`,
      `  revenue   ${money(revenue)}`,
      `  energy    ${money(energyCost)}`,
      `  net       ${money(net)}`,
    ];
    const optimum = run.optimum;
    if (optimum && !optimum.exact)
      lines.push(
        `  The GPUs differ and the exact search grew too large: this is the best schedule found; the optimum is at most ${money(optimum.upperBound)}.`,
      );
    return lines.join('\n');
  });
  return 0;
}

class UnreadableStream extends Error {}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    const bytes = await readFile(file);
    if (bytes.length > MAX_STREAM_BYTES) throw new UnreadableStream('is larger than 256 MiB');
    text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    if (error instanceof UnreadableStream) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnreadableStream(
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a folder'
          : `cannot be read (${(error as Error).message})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UnreadableStream(`is not valid JSON: ${(error as Error).message}`);
  }
}

const money = (x: number) => x.toFixed(2);

function listIds(ids: string[]): string {
  const shown = ids.slice(0, 12).join(', ');
  return ids.length > 12 ? `${shown}, and ${ids.length - 12} more` : shown;
}
