import type { EarningsSummary, TokenAmount } from '../../shared/schemas/earnings';
import type { Network } from '../../shared/schemas/network';
import type { LedgerRepository } from './ledger-repository';
import { tokenAmount } from './token-amount';

const ACTIVE = new Set(['opened', 'running', 'paused']);

/** Totals by token, named with the registry's symbol and decimals where a network knows the token. */
function amounts(totals: Map<string, bigint>, networks: Network[]): TokenAmount[] {
  return [...totals]
    .filter(([, units]) => units > 0n)
    .map(([token, units]) => tokenAmount(units, token, networks))
    .sort((a, b) => a.symbol.localeCompare(b.symbol));
}

export function earningsSummary(ledger: LedgerRepository, networks: Network[], since: Date): EarningsSummary {
  const pending = new Map<string, bigint>();
  const all = ledger.list(100_000);
  for (const rental of all) {
    const owed = rental.signed - rental.redeemed;
    if (owed > 0n) pending.set(rental.token, (pending.get(rental.token) ?? 0n) + owed);
  }
  return {
    earned: amounts(ledger.earnedSince(since.getTime()), networks),
    pending: amounts(pending, networks),
    rentals: { active: all.filter((r) => ACTIVE.has(r.status)).length, total: all.length },
  };
}
