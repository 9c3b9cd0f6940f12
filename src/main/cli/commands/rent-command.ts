import { generateKeyPair } from '@libp2p/crypto/keys';
import { formatUnits, JsonRpcProvider, parseUnits } from 'ethers';
import { unwrap } from '../../../shared/envelope';
import type { WalletStatus } from '../../../shared/schemas/wallet';
import { systemClock } from '../../core/clock';
import { createCore, type Core } from '../../core/create-core';
import { UserFacingError } from '../../core/router';
import { resolveDataDir } from '../../data-dir/resolve-data-dir';
import { JobEscrowClient } from '../../market/job-escrow';
import { ProviderRegistryClient } from '../../market/provider-registry';
import { createP2pNode, type P2pNode } from '../../p2p/create-node';
import type { JobSessionEvent } from '../../renter/job-client-types';
import { prepareJob, type PreparedJob } from '../../renter/prepare-job';
import { rent } from '../../renter/rent';
import { RentError, type RentErrorCode } from '../../renter/rent-error';
import { rentResultJson } from '../../renter/rent-result';
import type { RentEvent, RentResult, RentToken } from '../../renter/rent-types';
import { UsageError, type CliIo } from '../cli-io';
import { devnetPortFromEnv } from './serve-command';

export const rentHelp = `nocturne rent SPEC.json [options]

Rents a provider's GPU for the job in SPEC.json (the job spec of \`nocturne job run\`; its bundle.path is
sent to the provider). Picks the best offer in ProviderRegistry (cheapest per GFLOP/s, reputation counted),
asks for a signed quote, locks the deposit (price x the job's maxSeconds) in JobEscrow, streams the job's
log here, pays by vouchers for exactly the seconds used, and saves the outputs.

  --network ID      the network to pay on (default: the selected one; see nocturne network list)
  --max-price P     the most you pay, in the network's token per hour of GPU time (0.5 = 0.5 tUSD/hour)
  --provider PEER   only this provider: its peer id (12D3KooW...) or its EVM address
  --out DIR         where the outputs go (default ./<spec name>-outputs; must be missing or empty)
  --vram MiB        GPU memory the job needs on each GPU (the spec does not say; default: any)
  --json            print one JSON result at the end (the job's log and progress go to stderr)
  --data-dir DIR    data directory

Ctrl-C asks the provider to stop the job: you still get its outputs and pay only for the time it ran.
Before the job starts, Ctrl-C cancels it on JobEscrow and the deposit comes back. A second Ctrl-C
drops the session at once.

Exit codes: 0 the job succeeded; 1 it failed or was cancelled, or the rental failed; 2 a usage error or
a bad spec; 3 no provider could take the job, or the provider refused it.
Passwords come from the NOCTURNE_PASSWORD environment variable or a prompt, never from the command line.`;

type Values = {
  json?: boolean;
  'data-dir'?: string;
  network?: string;
  'max-price'?: string;
  provider?: string;
  out?: string;
  vram?: string;
};

export interface RentCommandHooks {
  /** Registers the Ctrl-C handler (default: process SIGINT); returns its removal. */
  onInterrupt?: (handler: () => void) => () => void;
}

const EXIT: Record<RentErrorCode, number> = {
  invalid: 2,
  'no-provider': 3,
  refused: 3,
  funds: 1,
  cancelled: 1,
  failed: 1,
};

/** A positive decimal number of token units ("0.5"), checked before the network (and its decimals) is known. */
function checkPrice(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text) || !/[1-9]/.test(text))
    throw new UsageError(
      `--max-price must be a positive number of tokens per hour, such as 0.5, not "${text}".`,
    );
  return text;
}

function checkVram(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) > 16 * 1024 * 1024)
    throw new UsageError(`--vram must be a whole number of MiB, not "${text}".`);
  return Number(text);
}

async function password(io: CliIo): Promise<string> {
  const fromEnv = io.env.NOCTURNE_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!io.ask)
    throw new UsageError('Set NOCTURNE_PASSWORD: there is nothing to ask the wallet password with.');
  return io.ask('Wallet password: ', { secret: true });
}

export async function rentCommand(
  positionals: string[],
  values: Values,
  io: CliIo,
  hooks: RentCommandHooks = {},
): Promise<number> {
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'Usage: nocturne rent SPEC.json [--max-price P] [--provider PEER] [--out DIR]'
        : `rent takes one job spec, got ${positionals.length} arguments.`,
    );
  const json = values.json === true;
  const maxPriceText = checkPrice(values['max-price']);
  const vramMiB = checkVram(values.vram);
  // Progress and the job's log: stdout, unless stdout is for the JSON result.
  const say = (text: string) => (json ? io.err(text) : io.out(text));

  let job: PreparedJob;
  try {
    job = await prepareJob(positionals[0]!, { outDir: values.out });
  } catch (error) {
    if (error instanceof RentError) {
      io.err(`nocturne: ${error.message}\n`);
      if (json) io.out(`${JSON.stringify(errorJson(error), null, 2)}\n`);
      return 2;
    }
    throw error;
  }

  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env, platform: process.platform });
  const core = createCore({ dataDir, mode: 'headless', lock: false, ...devnetPortFromEnv(io.env) });
  let rpc: JsonRpcProvider | null = null;
  let node: P2pNode | null = null;
  try {
    const status = unwrap(await core.router.call('wallet:status', {})) as WalletStatus;
    if (!status.exists) {
      io.err('nocturne: renting needs a wallet: run `nocturne wallet create` or `nocturne wallet import`.\n');
      return 1;
    }
    if (values.network !== undefined && !core.networks.list().some((n) => n.id === values.network))
      throw new UsageError(`There is no network "${values.network}". See nocturne network list.`);
    const { network, url } = await core.networks.connect(values.network);
    if (!network.token) throw new UsageError(`${network.name} has no payment token to pay a provider with.`);
    const escrowAddress = network.contracts.JobEscrow;
    const registryAddress = network.contracts.ProviderRegistry;
    if (!escrowAddress || !registryAddress) {
      io.err(
        `nocturne: ${network.name} has no JobEscrow or ProviderRegistry; add their addresses to the network.\n`,
      );
      return 1;
    }
    const token: RentToken = {
      address: network.token.address,
      decimals: network.token.decimals,
      symbol: network.token.symbol,
    };
    let maxPricePerHour: bigint | undefined;
    if (maxPriceText !== undefined) {
      try {
        maxPricePerHour = parseUnits(maxPriceText, token.decimals);
      } catch {
        throw new UsageError(`--max-price has more decimals than ${token.symbol}'s ${token.decimals}.`);
      }
    }

    await unlock(core, io);
    rpc = new JsonRpcProvider(url, network.chainId, { staticNetwork: true, cacheTimeout: -1 });
    const wallet = core.vault.signer().connect(rpc);
    // A throwaway identity: a renter needs no stable peer id, and keeps none on disk.
    node = await createP2pNode({
      privateKey: await generateKeyPair('Ed25519'),
      listen: [],
      nat: false,
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });

    const amount = (units: bigint) => `${formatUnits(units, token.decimals)} ${token.symbol}`;
    const describe = eventDescriber(amount, network.name);
    const rental = rent(
      {
        wallet,
        escrow: new JobEscrowClient(escrowAddress, wallet),
        registry: new ProviderRegistryClient(registryAddress, rpc),
        chainId: network.chainId,
        token,
        node,
        clock: systemClock,
        logger: core.logger,
      },
      {
        job,
        maxPricePerHour,
        provider: values.provider,
        vramMiB,
        onLog: (data) => say(data),
        onEvent: (event) => {
          const line = describe(event);
          if (line) say(`${line}\n`);
        },
      },
    );

    let interrupts = 0;
    const interrupt = () => {
      interrupts += 1;
      if (interrupts === 1) {
        io.err('\nnocturne: cancelling the job (Ctrl-C again to drop the session at once)...\n');
        rental.cancel('cancelled by the renter (Ctrl-C)');
      } else {
        io.err('\nnocturne: dropping the session.\n');
        rental.abort('dropped by the renter (second Ctrl-C)');
      }
    };
    const removeInterrupt = (hooks.onInterrupt ?? onSigint)(interrupt);
    try {
      const result = await rental.result;
      if (json) io.out(`${JSON.stringify({ ok: true, ...rentResultJson(result) }, null, 2)}\n`);
      else io.out(`\n${summary(result, amount)}\n`);
      return result.status === 'succeeded' ? 0 : 1;
    } catch (error) {
      if (!(error instanceof RentError)) throw error;
      io.err(`nocturne: ${error.message}\n`);
      if (json) io.out(`${JSON.stringify(errorJson(error), null, 2)}\n`);
      return EXIT[error.code];
    } finally {
      removeInterrupt();
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof UserFacingError) {
      io.err(`nocturne: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await node?.stop();
    rpc?.destroy();
    await core.shutdown();
  }
}

function onSigint(handler: () => void): () => void {
  process.on('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}

async function unlock(core: Core, io: CliIo): Promise<void> {
  const status = unwrap(await core.router.call('wallet:status', {})) as WalletStatus;
  if (!status.locked) return;
  unwrap(await core.router.call('wallet:unlock', { password: await password(io) }));
}

function errorJson(error: RentError): Record<string, unknown> {
  return {
    ok: false,
    error: { code: error.code, message: error.message },
    ...(error.details.jobId ? { jobId: error.details.jobId } : {}),
    ...(error.details.cancelTx ? { cancelTx: error.details.cancelTx } : {}),
    ...(error.details.refusal ? { refusal: error.details.refusal } : {}),
    ...(error.details.session?.details.ended
      ? {
          ended: {
            ...error.details.session.details.ended,
            owed: error.details.session.details.ended.owed.toString(),
          },
        }
      : {}),
    skipped: error.details.skipped ?? [],
  };
}

/** One line per thing worth telling while the rental runs; null for the rest (statuses that change nothing). */
export function eventDescriber(
  amount: (units: bigint) => string,
  networkName: string,
): (event: RentEvent) => string | null {
  let lastState: string | null = null;
  const session = (event: JobSessionEvent): string | null => {
    switch (event.type) {
      case 'accepted':
        return 'The provider accepted the job; sending the bundle.';
      case 'started':
        return `The job started${event.startTx ? ` (startJob ${event.startTx})` : ''}.`;
      case 'status': {
        const state = event.state === 'paused' ? `paused: ${event.reason ?? 'no reason given'}` : event.state;
        const previous = lastState;
        lastState = state;
        if (state === previous) return null;
        if (event.state === 'paused') return `The job is ${state}.`;
        return previous?.startsWith('paused') ? `The job is ${state} again.` : null;
      }
      case 'voucher-refused':
        return (
          `The provider refused a voucher for ${amount(event.refusal.cumulativeAmount)} ` +
          `(${event.refusal.code}): ${event.refusal.reason}`
        );
      case 'owed-capped':
        return `The provider claims ${amount(event.owed)}, ${event.why}; signing ${amount(event.signing)}.`;
      case 'cancel-sent':
        return 'Asked the provider to stop the job.';
      case 'ended':
        return `The job ended: ${event.status}${event.reason ? ` (${event.reason})` : ''}.`;
      default:
        return null;
    }
  };
  return (event) => {
    switch (event.type) {
      case 'offers':
        return `${event.candidates} of ${event.candidates + event.skipped.length} offers on ${networkName} can take the job.`;
      case 'quote-skipped':
        return `  skipped ${event.skipped.peerId}: ${event.skipped.reason}`;
      case 'chosen':
        return (
          `Provider ${event.peerId} (${event.gpuModel}, paid to ${event.provider}): ` +
          `${amount(event.pricePerSecond * 3600n)} per hour, up to ${event.maxSeconds} s; deposit ${amount(event.deposit)}.`
        );
      case 'approved':
        return `Allowed JobEscrow to take the deposit (${event.tx}).`;
      case 'opened':
        return `Opened job ${event.jobId} (${event.tx}).`;
      case 'connected':
        return null;
      case 'cancelled-on-chain':
        return `Cancelled the job on JobEscrow; the deposit ${amount(event.refund)} is back (${event.tx}).`;
      case 'session':
        return session(event.event);
    }
  };
}

function summary(result: RentResult, amount: (units: bigint) => string): string {
  const lines = [
    `Job ${result.status}${result.reason ? `: ${result.reason}` : ''}${result.exitCode !== null ? ` (exit code ${result.exitCode})` : ''}`,
    `  billed   ${result.secondsBilled} s at ${amount(result.pricePerSecond * 3600n)} per hour`,
    `  paid     ${amount(result.paid)} of the ${amount(result.deposit)} deposit`,
    `  refund   ${amount(result.refundExpected)}: back when the provider finishes the job, or reclaimable ` +
      `after ${result.reclaimableAt.toISOString()}`,
    `  outputs  ${result.outputs ? `${result.outputs.dir} (${result.outputs.files} files)` : 'none'}`,
    `  job      ${result.jobId}`,
  ];
  if (result.voucherRefusals.length > 0)
    lines.push(`  ${result.voucherRefusals.length} voucher(s) refused by the provider; see above.`);
  return lines.join('\n');
}
