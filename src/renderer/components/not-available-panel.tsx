import { useId, type ReactNode } from 'react';

/** Stands in for a page whose feature ships in a later release, saying plainly what it will do. */
export function NotAvailablePanel({ children }: { children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="panel panel--placeholder" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel__title">
        Not available yet
      </h2>
      <p className="panel__text">{children}</p>
    </section>
  );
}
