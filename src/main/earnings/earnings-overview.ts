import type {
  EarningsDay,
  EarningsOverview,
  EarningsPeriod,
  FiatRateView,
  PeriodId,
  StallAlert,
  TokenAmount,
} from '../../shared/schemas/earnings';
import type { Network } from '../../shared/schemas/network';
import type { EarnedQuarter, EnergyRow, RentalTotal } from './earnings-repository';
import { lastDays, type LocalDay } from './local-days';
import { isLive } from './payment-state';
import { QUARTER_MS } from './quarters';
import { tokenAmount } from './token-amount';
import type { EnergyQuarter } from './energy-booking';
import type { RentalStatus } from './ledger-repository';

/**
 * The Earnings page's figures, pure: periods, the 30-day chart and what awaits payout, from the ledger's
 * quarter-hour sums. Money in the owner's currency: each rental's earnings at its booked rate (the rate
 * when it ended), a live rental's at today's rate; electricity as booked, a live rental's estimated so far.
 * Rentals booked in another currency (the owner changed it since) are left out of the money and named in
 * a note; their tokens still count.
 */

export const CHART_DAYS = 30;
const PERIOD_DAYS: Record<Exclude<PeriodId, 'all'>, number> = { today: 1, week: 7, month: 30 };

export interface LiveEnergy {
  key: string;
  quarters: readonly EnergyQuarter[];
}

export interface OverviewInput {
  nowMs: number;
  zone: string;
  currency: string;
  networks: readonly Network[];
  /** Earned quarters since the first of the chart's days. */
  earned: readonly EarnedQuarter[];
  /** Booked energy quarters since the first of the chart's days. */
  energy: readonly EnergyRow[];
  totals: readonly RentalTotal[];
  /** Live rentals' electricity so far (estimated; not booked). */
  live: readonly LiveEnergy[];
  /** Today's rate of each network's token; `rateOf` falls back to the owner's rate for other tokens. */
  rates: readonly FiatRateView[];
  ownerRate: number;
  alerts: readonly StallAlert[];
  /** No electricity price is set: costs count as 0. */
  noTariff: boolean;
}

/** The first local day a period starts on, for each period but all time. */
export function periodStarts(days: readonly LocalDay[]): Record<Exclude<PeriodId, 'all'>, number> {
  const start = (n: number) => days[days.length - n]!.fromMs;
  return { today: start(PERIOD_DAYS.today), week: start(PERIOD_DAYS.week), month: start(PERIOD_DAYS.month) };
}

export function earningsOverview(input: OverviewInput): EarningsOverview {
  const { networks, currency } = input;
  const days = lastDays(input.zone, input.nowMs, CHART_DAYS);
  const starts = periodStarts(days);
  const network = (id: string) => networks.find((n) => n.id === id);
  const rateFor = (networkId: string, token: string) =>
    input.rates.find((r) => r.networkId === networkId && r.token.toLowerCase() === token.toLowerCase())
      ?.rate ?? input.ownerRate;
  const decimalsOf = (networkId: string, token: string) =>
    tokenAmount(0n, token, [network(networkId), ...networks]).decimals;
  /** Token units in the owner's currency, at the rental's booked rate, else today's. */
  const fiatOf = (
    units: bigint,
    row: { networkId: string; token: string; fiatRate: number | null; currency: string | null },
  ): number | null => {
    if (row.currency !== null && row.currency !== currency) return null;
    const rate = row.fiatRate ?? rateFor(row.networkId, row.token);
    return (Number(units) / 10 ** decimalsOf(row.networkId, row.token)) * rate;
  };

  let otherCurrency = 0;
  const otherKeys = new Set<string>();
  const noteOther = (key: string) => {
    if (!otherKeys.has(key)) {
      otherKeys.add(key);
      otherCurrency++;
    }
  };

  // Per period: token sums per network and token, fiat, energy.
  type Acc = {
    tokens: Map<string, { networkId: string; token: string; units: bigint; fiat: number }>;
    gross: number;
    kwh: number;
    cost: number;
  };
  const acc = (): Acc => ({ tokens: new Map(), gross: 0, kwh: 0, cost: 0 });
  const periods: Record<PeriodId, Acc> = { today: acc(), week: acc(), month: acc(), all: acc() };
  const addEarned = (a: Acc, networkId: string, token: string, units: bigint, fiat: number | null) => {
    const id = `${networkId}|${token.toLowerCase()}`;
    const entry = a.tokens.get(id) ?? { networkId, token, units: 0n, fiat: 0 };
    entry.units += units;
    entry.fiat += fiat ?? 0;
    a.tokens.set(id, entry);
    a.gross += fiat ?? 0;
  };
  const windowed = ['today', 'week', 'month'] as const;

  const chart: EarningsDay[] = days.map((d) => ({ date: d.date, earned: 0, energyCost: 0 }));
  const dayIndex = (ms: number) => {
    let lo = 0;
    let hi = days.length - 1;
    if (ms < days[0]!.fromMs || ms >= days[hi]!.toMs) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (days[mid]!.fromMs <= ms) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  for (const q of input.earned) {
    const at = q.quarter * QUARTER_MS;
    const fiat = fiatOf(q.earned, q);
    if (fiat === null) noteOther(q.key);
    for (const id of windowed)
      if (at >= starts[id]) addEarned(periods[id], q.networkId, q.token, q.earned, fiat);
    const i = dayIndex(at);
    if (i >= 0) chart[i]!.earned += fiat ?? 0;
  }

  const addEnergy = (at: number, kwh: number, cost: number) => {
    for (const id of windowed)
      if (at >= starts[id]) {
        periods[id].kwh += kwh;
        periods[id].cost += cost;
      }
    const i = dayIndex(at);
    if (i >= 0) chart[i]!.energyCost += cost;
  };
  for (const e of input.energy) if (e.currency === currency) addEnergy(e.quarter * QUARTER_MS, e.kwh, e.cost);
  for (const live of input.live)
    for (const q of live.quarters) {
      addEnergy(q.quarter * QUARTER_MS, q.kwh, q.cost);
      periods.all.kwh += q.kwh;
      periods.all.cost += q.cost;
    }

  const pending = new Map<string, bigint>();
  let active = 0;
  for (const r of input.totals) {
    if (isLive(r.status as RentalStatus)) active++;
    if (r.signed > r.redeemed) pending.set(r.token, (pending.get(r.token) ?? 0n) + (r.signed - r.redeemed));
    if (r.signed > 0n) {
      const fiat = fiatOf(r.signed, r);
      if (fiat === null) noteOther(r.key);
      addEarned(periods.all, r.networkId, r.token, r.signed, fiat);
    }
    if (r.energyCost !== null && (r.currency === null || r.currency === currency)) {
      periods.all.kwh += r.energyKWh ?? 0;
      periods.all.cost += r.energyCost;
    }
  }

  const period = (id: PeriodId): EarningsPeriod => {
    const a = periods[id];
    return {
      id,
      from: id === 'all' ? null : new Date(starts[id]).toISOString(),
      earned: [...a.tokens.values()]
        .filter((t) => t.units > 0n)
        .map((t) => {
          const n = network(t.networkId);
          return {
            networkId: t.networkId,
            networkName: n?.name ?? t.networkId,
            amount: tokenAmount(t.units, t.token, [n, ...networks]),
            fiat: t.fiat,
          };
        })
        .sort(
          (x, y) =>
            x.networkName.localeCompare(y.networkName) || x.amount.symbol.localeCompare(y.amount.symbol),
        ),
      gross: a.gross,
      energyKWh: a.kwh,
      energyCost: a.cost,
      net: a.gross - a.cost,
    };
  };

  const notes: string[] = [];
  if (input.noTariff)
    notes.push(
      'No electricity price is set, so electricity counts as free. Set yours in Settings to see the net.',
    );
  if (otherCurrency > 0)
    notes.push(
      `${otherCurrency} rental${otherCurrency === 1 ? ' was' : 's were'} booked in another currency than ${currency}: ` +
        'their tokens count, their money does not. The CSV export lists each in its own currency.',
    );

  return {
    currency,
    timezone: input.zone,
    periods: (['today', 'week', 'month', 'all'] as const).map(period),
    days: chart,
    pending: [...pending]
      .filter(([, units]) => units > 0n)
      .map(([token, units]): TokenAmount => tokenAmount(units, token, networks))
      .sort((a, b) => a.symbol.localeCompare(b.symbol)),
    rentals: { active, total: input.totals.length },
    rates: [...input.rates],
    alerts: [...input.alerts],
    notes,
  };
}
