import { api } from '../api';
import type { ProviderNodeStatus } from '../../shared/schemas/market';
import { useApiData } from '../hooks/use-api-data';
import { nodeStateWords } from '../format/node-words';

const load = () => api.marketStatus();
const push = (listener: (status: ProviderNodeStatus) => void) => api.onMarketStatusChanged(listener);

/** Whether renters can reach this machine, and the address to give one (a renter's `market quote`). */
export function DashboardMarketCard() {
  const source = useApiData(load, push);
  const status = source.data;
  return (
    <section className="card" aria-labelledby="card-market" data-testid="dashboard-market">
      <h2 id="card-market" className="card__title">
        Market
      </h2>
      {!status ? (
        <p className="card__text">
          {source.error ? `Couldn’t read it: ${source.error.message}` : 'Loading…'}
        </p>
      ) : (
        <>
          <p className="card__text">
            <strong>{nodeStateWords[status.state]}</strong>
            {status.reason ? `. ${status.reason}` : ''}
          </p>
          {status.peerId ? (
            <p className="card__text">
              Peer id <code className="wallet-hex">{status.peerId}</code>
            </p>
          ) : null}
          {status.addresses.length > 0 ? (
            <ul className="card__list">
              {status.addresses.map((a) => (
                <li key={a}>
                  <code className="wallet-hex">{a}</code>
                </li>
              ))}
            </ul>
          ) : null}
          {status.state === 'offline' ? (
            <p className="card__text">Go online in Settings, under Renting.</p>
          ) : null}
        </>
      )}
    </section>
  );
}
