import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { DEFAULT_ENGINE_PARAMS, type EngineParams } from './admission-engine';
import { DemandModel, EMPTY_DEMAND, type DemandState } from './demand-model';
import { MarketContext } from './feasibility';
import type { MarketRequest, MarketSetup } from './market-stream';

/**
 * The provider's memory of demand: every quote request that passed the permanent checks, observed at its
 * arrival, as the admission engine learns from it (DemandModel). It lives in the provider process and is
 * kept in `<data>/pricing/demand.json` (written at most every few seconds, and at close, through a
 * temporary file and a rename), so a restart does not send the engine back to "too little history".
 *
 * Time the provider was not listening (the app closed, renting off) is not counted as watched time: a
 * week with the app closed is not a week in which no renter asked.
 */

const finite = z.number().refine(Number.isFinite, 'must be finite');
const DemandStateSchema = z.object({
  v: z.literal(1),
  samples: z
    .array(
      z.object({
        arrivalMs: finite,
        durationMs: finite.refine((x) => x > 0, 'must be more than 0'),
        pricePerHour: finite.refine((x) => x >= 0, 'must be 0 or more'),
        vramMiB: finite.refine((x) => x >= 0, 'must be 0 or more'),
      }),
    )
    .max(100_000),
  arrivals: z.array(finite.refine((x) => x >= 0)).length(24),
  exposure: z.array(finite.refine((x) => x >= 0)).length(24),
  firstSeen: finite.nullable(),
  observedUntil: finite.nullable(),
  recent: z.array(finite).max(1_000_000),
});

export interface DemandTrackerOptions {
  /** The JSON file; null keeps the state in memory only (CLI one-shots, tests). */
  file: string | null;
  clock: Clock;
  logger: Logger;
  params?: Partial<EngineParams>;
  /** Writes are gathered this long (default 5 s). */
  saveDelayMs?: number;
}

export function createDemandTracker(options: DemandTrackerOptions) {
  const { file, clock, logger } = options;
  const params = { ...DEFAULT_ENGINE_PARAMS, ...options.params };
  const saveDelayMs = options.saveDelayMs ?? 5000;
  let state: DemandState = load();
  /** A model over the current setup, rebuilt from `state` when the setup changes. */
  let model: { key: string; demand: DemandModel } | null = null;
  let timer: NodeJS.Timeout | null = null;
  let dirty = false;
  let listening = false;
  let closed = false;

  function load(): DemandState {
    if (file === null) return EMPTY_DEMAND;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        logger.warn(`Could not read ${file}: ${(error as Error).message}; the demand seen starts afresh.`);
      return EMPTY_DEMAND;
    }
    try {
      return DemandStateSchema.parse(JSON.parse(text)) as DemandState;
    } catch (error) {
      logger.warn(
        `${file} is damaged (${(error as Error).message.split('\n')[0]}); the demand seen starts afresh.`,
      );
      return EMPTY_DEMAND;
    }
  }

  function modelFor(setup: MarketSetup): DemandModel {
    const key = JSON.stringify(setup);
    if (model?.key !== key) {
      const demand = new DemandModel(
        new MarketContext(setup),
        params,
        model ? model.demand.snapshot() : state,
      );
      model = { key, demand };
    }
    return model.demand;
  }

  function changed(next: DemandState): void {
    state = next;
    dirty = true;
    if (file === null || timer || closed) return;
    timer = setTimeout(save, saveDelayMs);
    timer.unref();
  }

  function save(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!dirty || file === null) return;
    dirty = false;
    const temp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(temp, JSON.stringify(state));
      renameSync(temp, file);
    } catch (error) {
      rmSync(temp, { force: true });
      logger.warn(`Could not save the demand seen to ${file}: ${(error as Error).message}`);
    }
  }

  return {
    /** What has been learnt so far (a snapshot; the quote decision reads it). */
    state: (): DemandState => (model ? model.demand.snapshot() : state),
    /** Records a request at its arrival, in the owner's current setup (windows, floor, GPU). */
    observe(request: MarketRequest, setup: MarketSetup): void {
      const demand = modelFor(setup);
      if (!listening) {
        demand.resumeAt(request.arrivalMs);
        listening = true;
      }
      demand.observe(request);
      changed(demand.snapshot());
    },
    /** The provider started answering quotes: the time before this was not watched. */
    listening(setup: MarketSetup): void {
      modelFor(setup).resumeAt(clock.now().getTime());
      listening = true;
    },
    /** The provider stopped answering quotes: the watched time ends now. */
    notListening(setup: MarketSetup): void {
      if (!listening) return;
      listening = false;
      const demand = modelFor(setup);
      demand.advanceTo(clock.now().getTime());
      changed(demand.snapshot());
    },
    /** Writes what is pending now. */
    flush: save,
    /** Writes what is pending and stops writing (what is observed later stays in memory). */
    close(): void {
      save();
      closed = true;
    },
    closed: (): boolean => closed,
  };
}

export type DemandTracker = ReturnType<typeof createDemandTracker>;
