import { join } from 'node:path';
import type { RunMode } from '../../shared/schemas/app-status';
import { acquireInstanceLock } from '../data-dir/instance-lock';
import { dataPaths } from '../data-dir/resolve-data-dir';
import { availabilityHandlers } from '../availability/availability-handlers';
import { createAvailabilityRepository } from '../availability/availability-repository';
import { createAvailabilityService } from '../availability/availability-service';
import { createHandbackController } from '../availability/handback/handback-controller';
import { createProcessGroupFreezer, type JobControl } from '../availability/handback/job-control';
import { gpuDeviceNodes } from '../jobs/gpu-devices';
import { jobHandlers } from '../jobs/job-handlers';
import { readLogTail } from '../jobs/job-log';
import { createJobRepository } from '../jobs/job-repository';
import { createJobRunner } from '../jobs/job-runner';
import { nodePtySpawn } from '../jobs/node-pty-spawn';
import type { SpawnPty } from '../jobs/pty';
import { detectLimitMechanism } from '../jobs/limits/detect-limit-mechanism';
import { releaseStaleCgroups } from '../jobs/limits/prepare-limits';
import { detectSandbox } from '../jobs/sandbox/detect-sandbox';
import { createBatterySource } from '../availability/signals/battery-source';
import { createProcessLister } from '../availability/signals/process-lister';
import {
  createSignalPoller,
  DEFAULT_SCAN_INTERVAL_MS,
  RESTING_SCAN_INTERVAL_MS,
} from '../availability/signals/signal-poller';
import { findGpuPeak } from '../../shared/gpu-peaks';
import { createBenchmarkRepository } from '../gpu/benchmark/benchmark-repository';
import { createBenchmarkService } from '../gpu/benchmark/benchmark-service';
import { createGpuLimitsRepository } from '../gpu/gpu-limits-repository';
import { gpuHandlers } from '../gpu/gpu-handlers';
import { createGpuMonitor } from '../gpu/gpu-monitor';
import { thermalHolds } from '../gpu/thermal-holds';
import { detectProbes } from '../gpu/probes/detect-probes';
import { hasDisplayController } from '../gpu/probes/display-controllers';
import type { GpuProbe } from '../gpu/probes/gpu-probe';
import { createTelemetryRecorder } from '../gpu/telemetry-recorder';
import { createTelemetryStore } from '../gpu/telemetry-store';
import { createProcessRunner } from '../os/process-runner';
import { createSettingsRepository } from '../settings/settings-repository';
import { settingsHandlers } from '../settings/settings-handlers';
import { createSettingsService } from '../settings/settings-service';
import { statusHandlers } from '../status/status-handlers';
import { createStatusService } from '../status/status-service';
import { openDatabase } from '../store/open-database';
import { startDevnet } from '../devnet/start-devnet';
import { createDevnetManager, type StartDevnet } from '../networks/devnet-manager';
import { networkHandlers } from '../networks/network-handlers';
import { createNetworkRepository } from '../networks/network-repository';
import { createNetworkService } from '../networks/network-service';
import { createKeyVault } from '../wallet/key-vault';
import { createPayments } from '../wallet/payments';
import { unavailableSecretStore, type SecretStore } from '../wallet/secret-store';
import { createTransactionRepository } from '../wallet/transaction-repository';
import { createTransactionTracker } from '../wallet/transaction-tracker';
import { walletHandlers } from '../wallet/wallet-handlers';
import { createEarnings } from '../earnings/create-earnings';
import { createNotifier } from '../notifications/notifier';
import type { Notice } from '../notifications/notification-rules';
import { createOfferPublisher, type OfferPublisherOptions } from '../provider/offer-publisher';
import { createProviderNode } from '../provider/provider-node';
import { createVoucherIntake } from '../provider/voucher-intake';
import { reconcileRentals, unpaidRentals } from '../provider/reconcile-rentals';
import { createSettlementService } from '../provider/settlement-service';
import { createSettlementRepository } from '../provider/settlement-repository';
import { JobEscrowClient } from '../market/job-escrow';
import { createRpcProviders } from '../networks/rpc-providers';
import { UserFacingError } from './router';
import { offerFromSettings } from '../provider/provider-offer';
import { createDemandTracker } from '../pricing/demand-tracker';
import { createPricingService } from '../pricing/pricing-service';
import { rentalGpu } from '../../shared/rental-gpu';
import { resolvePowerW } from '../pricing/owner-setup';
import { createLedgerRepository, type Rental } from '../earnings/ledger-repository';
import type { PayloadOf } from '../../shared/contract';
import { systemClock, type Clock } from './clock';
import { createEventBus } from './event-bus';
import { createFileLogger, type Logger } from './logger';
import { createRouter } from './router';

export interface CoreOptions {
  dataDir: string;
  mode: RunMode;
  version?: string;
  clock?: Clock;
  logger?: Logger;
  /** GPU probes; by default those whose tools are on PATH (see detect-probes). */
  gpuProbes?: GpuProbe[];
  /** Start GPU monitoring and the availability signals at once (the app); CLI one-shots leave it off. */
  monitorGpus?: boolean;
  /** What availability freezes and thaws (tests); the job runner by default. */
  jobControl?: JobControl;
  /** How jobs get a terminal (tests may fake it); node-pty by default. */
  spawnPty?: SpawnPty;
  /** Who reports battery state: the poller (headless, Linux), or Electron's powerMonitor (desktop). */
  batteryFromPowerMonitor?: boolean;
  /**
   * Take the one-instance lock (default). Commands that only read (schedule show, availability) skip it,
   * so they work beside a running app: SQLite's WAL lets them read while it writes.
   */
  lock?: boolean;
  /** Benchmark with small sizes (tests on a software adapter). */
  quickBenchmark?: boolean;
  /** "Remember the wallet password": Electron's safeStorage; unavailable elsewhere. */
  secretStore?: SecretStore;
  /** Starts the embedded devnet on first use (default: Hardhat EDR); null turns it off. */
  startDevnet?: StartDevnet | null;
  /** Where the devnet listens, over the setting (tests and `serve` pass NOCTURNE_DEVNET_PORT; 0: any free port). */
  devnetPort?: number;
  /** The provider node's interface and NAT traversal: loopback without NAT in tests (NOCTURNE_P2P_LOOPBACK). */
  p2p?: { host: string; nat: boolean };
  /** Tests only: cheaper scrypt for keystores they write. */
  walletScryptN?: number;
  /**
   * Shows a notification (the desktop app: the OS's own); by default it goes to the UI as
   * 'app:notification'. Only the app notifies (monitorGpus), not CLI one-shots.
   */
  notify?: (notice: Notice) => void;
  /** Tests only: a short availability debounce and quick retries for the on-chain offer. */
  offerPublisher?: Pick<OfferPublisherOptions, 'debounceMs' | 'settleMs' | 'retryMs' | 'maxRetryMs'>;
}

/**
 * The composition root: the only place that picks real adapters. Electron (`src/main/app`) and the
 * headless server both start the product through here, so they run the same core.
 */
export function createCore(options: CoreOptions) {
  const clock = options.clock ?? systemClock;
  const paths = dataPaths(options.dataDir);
  const lock = options.lock === false ? { release() {} } : acquireInstanceLock(paths.lock);
  try {
    const logger = options.logger ?? createFileLogger(paths.log);
    const { db, migration } = openDatabase(paths.database, { now: () => clock.now() });
    if (migration.applied.length > 0)
      logger.info(`Database migrated from schema ${migration.from} to ${migration.to}`);

    const events = createEventBus();
    const settings = createSettingsService({
      repository: createSettingsRepository(db),
      clock,
      logger,
      onChange: (next) => events.emit('settings:changed', next),
    });
    const runner = createProcessRunner();
    const telemetry = createTelemetryStore(db);
    const benchmarks = createBenchmarkRepository(db);
    const gpus = createGpuMonitor({
      // systeminformation is loaded only where it is asked (no vendor tool found) and Linux's PCI bus has a
      // display controller for it to read: it is large, and each reading spawns lspci.
      probes:
        options.gpuProbes ??
        detectProbes(runner, async () =>
          hasDisplayController() === false
            ? { controllers: [] }
            : (await import('systeminformation')).default.graphics(),
        ),
      limits: createGpuLimitsRepository(db),
      recorder: createTelemetryRecorder({ store: telemetry, clock, logger }),
      clock,
      logger,
      onTelemetry: (at, list) => events.emit('gpu:telemetry', { at: at.toISOString(), gpus: list }),
      onGuardAction: (event) => events.emit('gpu:guardAction', event),
      onProcesses: (list) =>
        availability.updateSignals({
          otherGpuPrograms: [...new Set(list.map((p) => p.name ?? `process ${p.pid ?? '?'}`))],
        }),
      describe: (info) => {
        const peak = findGpuPeak(info.name);
        return {
          benchmark: benchmarks.latest(info.id),
          peak: peak && {
            cardName: peak.name,
            fp32Tflops: peak.fp32Tflops,
            memoryBandwidthGBs: peak.memoryBandwidthGBs,
          },
        };
      },
    });
    const benchmark = createBenchmarkService({
      launcher: null,
      repository: benchmarks,
      clock,
      logger,
      onProgress: (event) => events.emit('gpu:benchProgress', event),
      onFinished: (event) => events.emit('gpu:benchFinished', event),
      quick: options.quickBenchmark === true,
    });
    const applyIntervals = () => {
      const { telemetryIdleSeconds, telemetryBusySeconds } = settings.get();
      gpus.setIntervals({ idleMs: telemetryIdleSeconds * 1000, busyMs: telemetryBusySeconds * 1000 });
    };
    applyIntervals();
    events.subscribe((event) => {
      if (event === 'settings:changed') applyIntervals();
    });
    const jobsDir = join(options.dataDir, 'jobs');
    let sandboxProbe: ReturnType<typeof detectSandbox> | null = null;
    const sandbox = () => (sandboxProbe ??= detectSandbox(runner));
    const jobRepository = createJobRepository(db);
    const jobRunner = createJobRunner({
      repository: jobRepository,
      jobsDir,
      sandbox,
      freezer: createProcessGroupFreezer({ onError: (m) => logger.warn(m) }),
      spawnPty: options.spawnPty ?? nodePtySpawn,
      clock,
      logger,
      onChange: (job) => {
        events.emit('job:changed', job);
        gpus.setBusy(jobRunner.running() > 0); // 1 s telemetry while a renter's job runs
      },
      onOutput: (id, data) => events.emit('job:output', { id, data }),
      gpuDevices: () => gpuDeviceNodes(1),
    });
    if (options.lock !== false) {
      for (const job of jobRunner.reconcile())
        logger.warn(`Job ${job.id} was ${job.status}: ${job.reason ?? ''}`);
      // cgroups a crash left behind: no job of ours runs yet, so every cgroup of a job we know is stale.
      const ours = jobRepository.list(10_000).map((j) => j.id);
      void detectLimitMechanism()
        .then((info) => releaseStaleCgroups(info, ours))
        .catch((error: unknown) => logger.warn(`Could not clean up old job cgroups: ${String(error)}`));
    }
    const jobs = options.jobControl ?? jobRunner;
    const handback = createHandbackController({ jobs, onError: (m, e) => logger.error(m, e) });
    const poller = createSignalPoller({
      lister: createProcessLister(runner),
      intervalMs: () =>
        settings.get().providerOnline || jobRunner.running() > 0
          ? DEFAULT_SCAN_INTERVAL_MS
          : RESTING_SCAN_INTERVAL_MS,
      battery: options.batteryFromPowerMonitor ? null : createBatterySource(),
      ownGames: () => settings.get().ownGames,
      onPatch: (patch) => availability.updateSignals(patch),
      onError: (m) => logger.warn(m),
    });
    const availability = createAvailabilityService({
      repository: createAvailabilityRepository(db),
      settings: () => settings.get(),
      clock,
      logger,
      onChange: (view, decision) => {
        // Freeze first: the owner is waiting for the GPU, the UI is not.
        void handback.apply(decision.available, decision.sentence);
        events.emit('availability:changed', view);
        events.emit('app:statusChanged', status.get());
      },
    });
    const status = createStatusService({
      clock,
      mode: options.mode,
      version: options.version ?? __APP_VERSION__,
      dataDir: options.dataDir,
      schemaVersion: migration.to,
      availability,
    });
    events.subscribe((event) => {
      // The policy (mode, idle minutes, own games) lives in settings.
      if (event === 'settings:changed') {
        availability.reevaluate();
        void poller.refresh(); // an edited list of own games applies at once
      }
      if (event === 'gpu:guardAction')
        availability.updateSignals({ thermalHolds: thermalHolds(gpus.currentViews()) });
    });
    const devnetPort = () => options.devnetPort ?? settings.get().devnetPort;
    const devnet = createDevnetManager({
      dataDir: options.dataDir,
      port: devnetPort,
      start: options.startDevnet === undefined ? startDevnet : options.startDevnet,
      logger,
    });
    const networks = createNetworkService({
      repository: createNetworkRepository(db),
      devnet,
      devnetPort,
      clock,
      onChange: (list) => events.emit('network:changed', { networks: list }),
    });
    const vault = createKeyVault({
      dataDir: options.dataDir,
      clock,
      secretStore: options.secretStore ?? unavailableSecretStore(),
      autoLockMinutes: () => settings.get().walletAutoLockMinutes,
      autoLockPaused: () => settings.get().providerOnline && settings.get().keepWalletUnlockedOnline,
      logger,
      onChange: (next) => events.emit('wallet:changed', next),
      ...(options.walletScryptN ? { scryptN: options.walletScryptN } : {}),
    });
    const transactions = createTransactionRepository(db);
    const ledger = createLedgerRepository(db);
    const payments = createPayments({
      networks,
      signer: () => vault.signer(),
      address: () => vault.status().address,
      transactions,
      clock,
      onSent: (tx) => {
        events.emit('wallet:transaction', payments.toView(tx));
        tracker.watch();
      },
    });
    const tracker = createTransactionTracker({
      repository: transactions,
      provider: (networkId) => payments.provider(networkId),
      clock,
      logger,
      onUpdate: (tx) => events.emit('wallet:transaction', payments.toView(tx)),
    });
    // Redeems renters' vouchers when rentals end (batched with redeemMany), retrying RPC failures.
    const settlementProviders = createRpcProviders();
    // A network's JobEscrow, sending as the wallet: settlement redeems with it, rental sessions start jobs.
    const escrowFor = async (networkId: string) => {
      const connection = await networks.connect(networkId);
      const address = connection.network.contracts.JobEscrow;
      if (!address)
        throw new UserFacingError(`${connection.network.name} has no JobEscrow contract configured.`);
      return new JobEscrowClient(address, vault.signer().connect(settlementProviders.for(connection)));
    };
    // Earnings (issue 9): each rental's money in the owner's currency, booked with its energy when it ends.
    const earnings = createEarnings({
      db,
      ledger,
      jobEvents: (jobId) => jobRepository.events(jobId),
      power: () => {
        const gpu = rentalGpu(gpus.currentViews());
        return {
          gpuId: gpu?.info.id ?? null,
          assumed: gpu
            ? pricing.powerOf(gpu)
            : resolvePowerW({ measuredW: null, settingW: settings.get().gpuPowerW, ratedW: null }),
        };
      },
      readings: (gpuId, fromMs, toMs) => telemetry.history(gpuId, fromMs, toMs, clock.now().getTime()).points,
      settings: () => settings.get(),
      zone: () => availability.schedule().timezone,
      networks: () => networks.list(),
      rpc: async (network) => settlementProviders.for(await networks.connect(network.id)),
      clock,
      logger,
      onBooked: (rental) => events.emit('market:rentalChanged', earnings.view(rental)),
    });
    const emitRental = (rental: Rental) => {
      events.emit('market:rentalChanged', earnings.view(rental));
      earnings.money.changed(rental);
    };
    const settlement = createSettlementService({
      ledger,
      settlements: createSettlementRepository(db),
      escrowFor,
      onRentalChange: emitRental,
      clock,
      logger,
      backoff: { firstMs: 5_000, maxMs: 5 * 60_000 },
    });
    // Pricing (issue 9): quotes weigh the owner's costs and the demand the admission engine has learnt
    // from quote requests (kept in <data>/pricing/demand.json); the price suggestion reads the market.
    const demand = createDemandTracker({
      file: options.lock === false ? null : join(options.dataDir, 'pricing', 'demand.json'),
      clock,
      logger,
    });
    const pricing = createPricingService({
      settings: () => settings.get(),
      schedule: () => availability.schedule(),
      gpus: () => gpus.currentViews(),
      listGpus: async () => (await gpus.list()).gpus,
      telemetry,
      networks,
      rpc: (connection) => settlementProviders.for(connection),
      ownAddress: () => vault.status().address,
      clock,
      logger,
    });
    events.subscribe((event, payload) => {
      // Demand is watched only while the node answers quotes (the node may stop after the database closed).
      if (event !== 'market:statusChanged' || demand.closed()) return;
      const setup = pricing.quoteSetup();
      const { state } = payload as PayloadOf<'market:statusChanged'>;
      if (setup && state === 'online') demand.listening(setup);
      else if (setup && state !== 'starting') demand.notListening(setup);
    });
    const provider = createProviderNode({
      dataDir: options.dataDir,
      port: () => settings.get().p2pPort,
      relays: () => settings.get().p2pRelays,
      host: options.p2p?.host,
      nat: options.p2p?.nat ?? true,
      offers: () => offerFromSettings(settings.get(), networks.selected()),
      availability: () => availability.view(),
      gpus: () => gpus.currentViews().map((v) => ({ vramMiB: v.info.memoryTotalMiB ?? 0 })),
      runningJobs: () => jobRunner.running(),
      signer: () => vault.signer(),
      pricing: { setup: () => pricing.quoteSetup(), demand },
      clock,
      logger,
      onStatus: (next) => events.emit('market:statusChanged', next),
      // Renters' rentals over /nocturne/job/1: admission, the job, vouchers, outputs (job-session.ts).
      jobs: {
        admission: () => {
          const wallet = vault.status();
          return {
            networks: networks.list().flatMap((n) => {
              const escrow = n.contracts.JobEscrow;
              return escrow ? [{ id: n.id, chainId: n.chainId, escrow }] : [];
            }),
            providerAddress: wallet.address,
            canSign: wallet.address !== null && !wallet.locked,
            offers: offerFromSettings(settings.get(), networks.selected()),
            availability: availability.view(),
            gpus: gpus.currentViews().map((v) => ({ vramMiB: v.info.memoryTotalMiB ?? 0 })),
            imageRuntime: false, // as quotes say: the host runtime only, for now
            runningJobs: jobRunner.running(),
          };
        },
        ledger,
        intake: createVoucherIntake({ ledger, clock, logger }),
        runner: jobRunner,
        jobFeed: {
          subscribe: (listener) =>
            events.subscribe((event, payload) => {
              if (event === 'job:output') {
                const { id, data } = payload as PayloadOf<'job:output'>;
                listener.output(id, data);
              } else if (event === 'job:changed') listener.change(payload as PayloadOf<'job:changed'>);
            }),
        },
        escrowFor,
        settlement,
        workDir: join(options.dataDir, 'rentals'),
        clock,
        logger,
        onRentalChange: emitRental,
      },
    });
    // The offer in ProviderRegistry follows the node, availability (debounced), price, GPUs and wallet.
    const offer = createOfferPublisher({
      networks,
      node: () => provider.status(),
      available: () => availability.view().available,
      settings: () => settings.get(),
      gpus: () => gpus.currentViews(),
      wallet: vault,
      clock,
      logger,
      onChange: (next) => events.emit('market:offerChanged', next),
      ...options.offerPublisher,
    });
    const offerInputs = new Set<string>([
      'market:statusChanged',
      'availability:changed',
      'settings:changed',
      'wallet:changed',
      'network:changed',
      'gpu:benchFinished',
    ]);
    events.subscribe((event) => {
      if (offerInputs.has(event)) offer.refresh();
      if (event === 'gpu:telemetry') offer.gpusMaybeChanged(); // the first sample lists the GPUs
    });
    // Settlement sends as the wallet: once it unlocks, redeem what is due at once. At a start the first
    // attempt runs before the wallet is unlocked (NOCTURNE_PASSWORD, a remembered or a typed password) and
    // only backs off; waiting out the back-off would let more ended rentals pile up into one redeemMany,
    // which leaves their jobs open on-chain (the renters' unpaid part held until the deadline) instead of
    // finishing each.
    let walletLocked = vault.status().locked;
    events.subscribe((event, payload) => {
      if (event !== 'wallet:changed') return;
      const { locked } = payload as PayloadOf<'wallet:changed'>;
      if (walletLocked && !locked) settlement.poke();
      walletLocked = locked;
    });
    let lastSettings = settings.get();
    events.subscribe((event) => {
      if (event !== 'settings:changed') return;
      const next = settings.get();
      if (
        next.walletAutoLockMinutes !== lastSettings.walletAutoLockMinutes ||
        next.providerOnline !== lastSettings.providerOnline ||
        next.keepWalletUnlockedOnline !== lastSettings.keepWalletUnlockedOnline
      ) {
        vault.rescheduleAutoLock();
        events.emit('wallet:changed', vault.status()); // its auto-lock line changed
      }
      // A new port or new relays restart the node (its listen addresses are fixed at the start).
      const relisten =
        next.p2pPort !== lastSettings.p2pPort ||
        next.p2pRelays.join('\n') !== lastSettings.p2pRelays.join('\n');
      if (next.providerOnline !== lastSettings.providerOnline || relisten)
        void provider.apply(next.providerOnline, relisten);
      if (next.devnetPort !== lastSettings.devnetPort && options.devnetPort === undefined)
        void networks.devnetPortChanged().catch((e: unknown) => logger.warn(`Devnet restart: ${String(e)}`));
      lastSettings = next;
    });
    if (options.lock !== false) {
      // Rentals whose session died with the last process: their jobs were reconciled as lost above; what
      // their renters signed is settled like any ended rental's.
      for (const rental of reconcileRentals(ledger, clock.now().getTime())) {
        logger.warn(`Rental ${rental.escrowJobId} was cut off by the last stop; settling what was signed`);
        emitRental(rental);
      }
      // Those with nothing signed: their jobs are finished on-chain, so the renters get their deposits now.
      settlement.closeUnpaid(unpaidRentals(ledger));
      void earnings.money.bookEnded(); // rentals that ended just before the last stop
      tracker.watch(); // payments still pending when the app last stopped
      void vault.tryRememberedUnlock().catch((e: unknown) => logger.warn(`Remembered unlock: ${String(e)}`));
    }

    const notifier = options.monitorGpus
      ? createNotifier({
          events,
          enabled: () => settings.get().notifications,
          gpuName: (id) => gpus.currentViews().find((v) => v.info.id === id)?.info.name ?? 'The GPU',
          show:
            options.notify ??
            ((notice) => events.emit('app:notification', { ...notice, at: clock.now().toISOString() })),
          logger,
        })
      : null;
    if (options.monitorGpus) {
      if (settings.get().providerOnline) void provider.apply(true);
      if (options.lock !== false) settlement.start();
      gpus.start();
      availability.start();
      poller.start();
    }
    const router = createRouter(
      {
        ...statusHandlers(status),
        ...settingsHandlers(settings),
        ...gpuHandlers({ monitor: gpus, telemetry, benchmark, clock }),
        ...availabilityHandlers(availability),
        ...jobHandlers({
          runner: jobRunner,
          jobsDir,
          sandboxStatus: async () => {
            const found = await sandbox();
            if (!found.backend) return { available: false, description: found.reason };
            const limits = await detectLimitMechanism();
            return { available: true, description: `${found.backend.kind}; limits by ${limits.mechanism}` };
          },
          readLog: (id, tailBytes) => {
            const job = jobRepository.get(id);
            return job ? readLogTail(job.logPath, tailBytes) : null;
          },
          hasGpu: () => gpuDeviceNodes(1).length > 0,
        }),
        ...networkHandlers(networks),
        'market:status': () => provider.status(),
        'market:offer': () => offer.status(),
        'market:suggestPrice': () => pricing.suggest(),
        'market:rentals': ({ limit }) => ({ rentals: ledger.list(limit).map(earnings.view) }),
        'earnings:overview': () => earnings.overview(),
        'earnings:exportCsv': (range) => earnings.exportCsv(range),
        ...walletHandlers({ vault, payments, transactions, networks }),
      },
      logger,
    );

    let closed = false;
    let offerStopped: Promise<void> = Promise.resolve();
    return {
      dataDir: options.dataDir,
      router,
      events,
      settings,
      status,
      gpus,
      benchmark,
      availability,
      jobs: jobRunner,
      jobRecords: jobRepository,
      networks,
      ledger,
      earnings,
      notifier,
      vault,
      payments,
      devnet,
      logger,
      /** close(), then waits for the embedded devnet (if this process started it) to stop. */
      provider,
      offer,
      async shutdown(): Promise<void> {
        this.close();
        await Promise.all([devnet.stop(), provider.stop(), offerStopped]);
      },
      close() {
        if (closed) return;
        closed = true;
        offerStopped = offer.stop(); // quitting sends nothing: the next start corrects the flag
        tracker.stop();
        settlement.stop();
        earnings.money.stop();
        notifier?.stop();
        settlementProviders.destroyAll();
        demand.close();
        void provider.stop().catch((e: unknown) => logger.warn(`Provider node stop: ${String(e)}`));
        payments.close();
        vault.dispose();
        void devnet.stop().catch((e: unknown) => logger.warn(`Devnet stop: ${String(e)}`));
        jobRunner.stopAll();
        poller.stop();
        availability.stop();
        benchmark.stop();
        gpus.stop();
        db.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

export type Core = ReturnType<typeof createCore>;
