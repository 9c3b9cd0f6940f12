import { useId, useState } from 'react';
import { api } from '../../api';
import type { Network } from '../../../shared/schemas/network';
import { toError } from '../../hooks/use-api-data';

/** Which network the wallet shows and pays on: every page and the CLI use the same selection. */
export function NetworkPicker({
  networks,
  selected,
  onSelected,
}: {
  networks: readonly Network[];
  selected: Network | undefined;
  onSelected: (network: Network) => void;
}) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const select = async (networkId: string) => {
    setBusy(true);
    setError(null);
    try {
      onSelected(await api.networkSelect({ id: networkId }));
    } catch (e) {
      setError(toError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="field wallet-network">
      <label htmlFor={id}>Network</label>
      <div className="wallet-network__row">
        <select
          id={id}
          value={selected?.id ?? ''}
          disabled={busy}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : `${id}-chain`}
          onChange={(e) => void select(e.target.value)}
        >
          {selected ? null : <option value="">Choose a network</option>}
          {networks.map((network) => (
            <option key={network.id} value={network.id}>
              {network.name}
            </option>
          ))}
        </select>
        {selected ? (
          <span id={`${id}-chain`} className="wallet-network__chain">
            Chain ID {selected.chainId}
          </span>
        ) : null}
      </div>
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
