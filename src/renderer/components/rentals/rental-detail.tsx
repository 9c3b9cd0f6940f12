import { useEffect, useId, useRef } from 'react';
import { formatAmount, rentalStatusText, shortAddress } from '../../format/rental-format';
import type { RentalEntry } from '../../hooks/rental-entries';
import { JobLogPanel } from '../jobs/job-log-panel';
import { CopyButton } from '../wallet/copy-button';
import { formatOwnerTime } from '../../format/owner-time';
import { useOwnerZone } from '../../hooks/use-owner-zone';

/** The selected rental: its escrow job, and the live log of the job it runs here (the Jobs log view). */
export function RentalDetail({ entry }: { entry: RentalEntry }) {
  const zone = useOwnerZone();
  const { rental } = entry;
  const headingId = useId();
  const name = `the rental by ${shortAddress(rental.renter)}`;
  const ref = useRef<HTMLDivElement>(null);

  // Chosen in a table that may fill the window: bring the details into view (focus stays on the button).
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [rental.key]);

  return (
    <div className="rental-detail" data-testid="rental-detail" ref={ref}>
      <section className="panel rental-detail__facts" aria-labelledby={headingId}>
        <h2 id={headingId} className="panel__title">
          Rental by <span title={rental.renter}>{shortAddress(rental.renter)}</span>
        </h2>
        <dl className="facts">
          <div className="facts__item facts__item--wide">
            <dt>Escrow job id</dt>
            <dd className="rental-detail__id">
              <code className="wallet-hex" data-testid="rental-escrow-job-id">
                {rental.escrowJobId}
              </code>
              <CopyButton text={rental.escrowJobId} label="Copy" accessibleName="Copy the escrow job id" />
            </dd>
          </div>
          <div className="facts__item">
            <dt>Status</dt>
            <dd>{rentalStatusText(rental)}</dd>
          </div>
          <div className="facts__item">
            <dt>Network</dt>
            <dd>{rental.networkName}</dd>
          </div>
          <div className="facts__item">
            <dt>Deposit</dt>
            <dd>{formatAmount(rental.deposit)}</dd>
          </div>
          <div className="facts__item">
            <dt>Started</dt>
            <dd>
              {rental.startedAt ? (
                <time dateTime={rental.startedAt}>{formatOwnerTime(rental.startedAt, zone, 'moment')}</time>
              ) : (
                'Not yet'
              )}
            </dd>
          </div>
        </dl>
      </section>
      {rental.localJobId ? (
        <JobLogPanel jobId={rental.localJobId} name={name} />
      ) : (
        <p className="panel job-log-empty">
          This rental’s job has not started on this machine yet; its log appears here once it does.
        </p>
      )}
    </div>
  );
}
