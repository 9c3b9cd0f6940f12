import { useId } from 'react';
import { formatAmount, shortAddress } from '../../format/rental-format';
import type { RentalEntry } from '../../hooks/rental-entries';
import { CopyButton } from '../wallet/copy-button';
import { RentalElapsed } from './rental-elapsed';
import { RentalStatusBadge } from './rental-status-badge';

/** One group of rentals (live or past) as a table labelled by its heading; each row can show its log. */
export function RentalTable({
  entries,
  labelledBy,
  selectedKey,
  onSelect,
}: {
  entries: readonly RentalEntry[];
  labelledBy: string;
  selectedKey: string | null;
  onSelect: (key: string) => void;
}) {
  return (
    <div className="wallet-table-scroll">
      <table className="wallet-table rental-table" aria-labelledby={labelledBy}>
        <thead>
          <tr>
            <th scope="col">Renter</th>
            <th scope="col">Network</th>
            <th scope="col">Status</th>
            <th scope="col">Price per hour</th>
            <th scope="col">Elapsed</th>
            <th scope="col">Earned (signed)</th>
            <th scope="col">Redeemed</th>
            <th scope="col">
              <span className="visually-hidden">Log</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <RentalRow
              key={entry.rental.key}
              entry={entry}
              selected={entry.rental.key === selectedKey}
              onSelect={onSelect}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RentalRow({
  entry,
  selected,
  onSelect,
}: {
  entry: RentalEntry;
  selected: boolean;
  onSelect: (key: string) => void;
}) {
  const { rental } = entry;
  const renterId = useId();
  const short = shortAddress(rental.renter);
  return (
    <tr
      className={selected ? 'rental-row rental-row--selected' : 'rental-row'}
      data-testid="rental-row"
      data-key={rental.key}
      data-status={rental.status}
    >
      <td>
        <span className="rental-row__renter">
          <code className="wallet-hex" id={renterId} title={rental.renter} data-testid="rental-renter">
            {short}
          </code>
          <CopyButton
            text={rental.renter}
            label="Copy"
            accessibleName={`Copy the address of renter ${short}`}
          />
        </span>
      </td>
      <td className="rental-table__network">{rental.networkName}</td>
      <td className="rental-table__status">
        <RentalStatusBadge status={rental.status} />
        {rental.reason ? (
          <span className="wallet-table__note" data-testid="rental-reason">
            {rental.reason}
          </span>
        ) : null}
      </td>
      <td className="wallet-table__number" data-testid="rental-price">
        {formatAmount(rental.pricePerHour)}
      </td>
      <td className="wallet-table__number" data-testid="rental-elapsed">
        <RentalElapsed entry={entry} />
      </td>
      <td className="wallet-table__number" data-testid="rental-earned">
        {formatAmount(rental.earned)}
      </td>
      <td className="wallet-table__number" data-testid="rental-redeemed">
        {formatAmount(rental.redeemed)}
      </td>
      <td>
        <button
          type="button"
          className="button button--small"
          aria-pressed={selected}
          aria-describedby={renterId}
          onClick={() => onSelect(rental.key)}
        >
          Show log
        </button>
      </td>
    </tr>
  );
}
