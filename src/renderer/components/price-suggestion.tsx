import { useState } from 'react';
import { api } from '../api';
import type { PriceSuggestionView } from '../../shared/schemas/market';
import { useBusyAction } from '../hooks/use-busy-action';

/**
 * "Suggest a price": asks main for a price from the benchmark, the market on-chain and the owner's costs,
 * shows the reasons, and lets the owner put it in the price field (saved only with the form).
 */
export function PriceSuggestion({ onUse }: { onUse: (price: string) => void }) {
  const { busy, error, run } = useBusyAction();
  const [suggestion, setSuggestion] = useState<PriceSuggestionView | null>(null);
  const [used, setUsed] = useState(false);

  const ask = () =>
    run(async () => {
      setUsed(false);
      setSuggestion(await api.marketSuggestPrice({}));
    });

  return (
    <div className="price-suggestion">
      <div className="price-suggestion__actions">
        <button
          type="button"
          className="button button--small"
          disabled={busy}
          aria-busy={busy}
          onClick={() => void ask()}
        >
          {busy ? 'Reading the market…' : 'Suggest a price'}
        </button>
      </div>
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
      {suggestion ? (
        <section className="price-suggestion__result" aria-label="Suggested price" aria-live="polite">
          <p className="price-suggestion__price">
            Suggested: <strong>{suggestion.price}</strong> {suggestion.symbol} per GPU hour on{' '}
            {suggestion.network}
          </p>
          <ul className="price-suggestion__reasons">
            {suggestion.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
          <div className="price-suggestion__actions">
            <button
              type="button"
              className="button button--small button--primary"
              onClick={() => {
                onUse(suggestion.price);
                setUsed(true);
              }}
            >
              Use this price
            </button>
            {used ? (
              <span className="field-hint">In the price field: save the settings to offer it.</span>
            ) : null}
          </div>
        </section>
      ) : null}
    </div>
  );
}
