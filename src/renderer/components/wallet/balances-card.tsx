import { useId, useState } from 'react';
import { api } from '../../api';
import { toError } from '../../hooks/use-api-data';
import type { Network } from '../../../shared/schemas/network';
import type { ApiData } from '../../hooks/use-api-data';
import { useWalletBalances } from '../../hooks/use-wallet-balances';
import { NetworkPicker } from './network-picker';

type NetworkList = { networks: Network[] };

/**
 * The wallet's coins on the selected network. A network that cannot be reached is said here, in the
 * card, with the button to try again: the rest of the page still works.
 */
export function BalancesCard({
  networks,
  selected,
  onSelected,
}: {
  networks: ApiData<NetworkList>;
  selected: Network | undefined;
  onSelected: (network: Network) => void;
}) {
  const headingId = useId();
  const balances = useWalletBalances(selected?.id);
  const [faucet, setFaucet] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });

  // Test funds from the devnet's public test accounts: worthless, and only on the built-in devnet.
  const getTestFunds = () => {
    if (!selected) return;
    setFaucet({ busy: true, error: null });
    api.walletFaucet({ networkId: selected.id }).then(
      () => {
        setFaucet({ busy: false, error: null });
        balances.refresh();
      },
      (error: unknown) => setFaucet({ busy: false, error: toError(error).message }),
    );
  };

  return (
    <section className="panel wallet-balances" aria-labelledby={headingId}>
      <div className="wallet-card__head">
        <h2 id={headingId} className="panel__title">
          Balances
        </h2>
        <button
          type="button"
          className="button button--small"
          disabled={balances.loading}
          aria-busy={balances.loading}
          onClick={balances.refresh}
        >
          Refresh balances
        </button>
      </div>

      {networks.data ? (
        <NetworkPicker networks={networks.data.networks} selected={selected} onSelected={onSelected} />
      ) : networks.error ? (
        <p className="inline-error" role="alert">
          Couldn’t load the networks: {networks.error.message}{' '}
          <button type="button" className="button button--small" onClick={networks.reload}>
            Retry
          </button>
        </p>
      ) : null}

      {balances.data ? (
        <>
          <dl className="wallet-balances__list" aria-busy={balances.loading}>
            {balances.data.balances.map((balance) => (
              <div key={balance.asset} className="wallet-balance" data-asset={balance.asset}>
                <dt>
                  {balance.asset === 'native'
                    ? `${balance.symbol} (network coin)`
                    : `${balance.symbol} (payment token)`}
                </dt>
                <dd>
                  <data value={balance.units}>{balance.formatted}</data> {balance.symbol}
                </dd>
              </div>
            ))}
          </dl>
          <p className="field-hint">As of block {balances.data.blockNumber}.</p>
          {selected?.builtin ? (
            <p className="field-hint">
              <button
                type="button"
                className="button button--small"
                disabled={faucet.busy}
                aria-busy={faucet.busy}
                onClick={getTestFunds}
              >
                Get test funds
              </button>{' '}
              10 test ETH and 1000 tUSD on this local test chain; they are worth nothing.
            </p>
          ) : null}
          {faucet.error ? (
            <p className="inline-error" role="alert">
              {faucet.error}
            </p>
          ) : null}
        </>
      ) : balances.loading ? (
        <p className="loading" role="status">
          Reading balances…
        </p>
      ) : null}
      {balances.error ? (
        <p className="inline-error" role="alert">
          Couldn’t read the balances: {balances.error.message}
        </p>
      ) : null}
    </section>
  );
}
