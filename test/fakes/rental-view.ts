import type { RentalView } from '../../src/shared/schemas/earnings';
import type { Network } from '../../src/shared/schemas/network';

/** The devnet's TestUSD, 6 decimals. */
export const TEST_TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

/** An amount of TestUSD as main names it ("1.5" -> 1500000 base units). */
export const tusdAmount = (formatted: string) => ({
  token: TEST_TOKEN,
  symbol: 'tUSD',
  decimals: 6,
  units: String(Math.round(Number(formatted) * 1e6)),
  formatted,
});

/** A rental as the UI gets it: a running one with nothing signed yet, changed by `patch`. */
export function sampleRentalView(patch: Partial<RentalView> = {}): RentalView {
  return {
    key: '31337:0xe7f1725e7734ce288f8367e1bb143e90bb3f0512:0xab',
    escrowJobId: '0xab',
    networkId: 'devnet',
    networkName: 'Local devnet',
    renter: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    status: 'running',
    reason: null,
    localJobId: null,
    pricePerHour: tusdAmount('1.8'),
    deposit: tusdAmount('10.0'),
    earned: tusdAmount('0.0'),
    redeemed: tusdAmount('0.0'),
    secondsRun: 0,
    createdAt: '2025-03-01T10:00:00.000Z',
    startedAt: null,
    endedAt: null,
    payment: 'none',
    stalledSince: null,
    settleTx: null,
    txUrl: null,
    money: {
      booked: false,
      currency: 'USD',
      fiatRate: 1,
      rateSource: 'owner',
      powerW: 250,
      powerSource: 'default',
      energyKWh: 0,
      energyCost: 0,
      gross: 0,
      net: 0,
    },
    ...patch,
  };
}

/** The built-in devnet's registry row, its token TestUSD. */
export const sampleDevnet = (patch: Partial<Network> = {}): Network => ({
  id: 'devnet',
  name: 'Local devnet',
  chainId: 31337,
  rpcUrls: [],
  explorerUrl: null,
  nativeSymbol: 'ETH',
  token: { address: TEST_TOKEN, symbol: 'tUSD', decimals: 6 },
  contracts: {},
  builtin: true,
  selected: true,
  ...patch,
});
