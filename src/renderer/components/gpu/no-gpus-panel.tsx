import { useId } from 'react';

/** Said plainly when no tool found a card, with the tools that were tried and a way to look again. */
export function NoGpusPanel({ probes, onLookAgain }: { probes: readonly string[]; onLookAgain: () => void }) {
  const headingId = useId();
  return (
    <section className="panel gpu-empty" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel__title">
        No GPU found
      </h2>
      <p className="panel__text">
        No GPU was found. Nocturne looks for nvidia-smi, rocm-smi or amd-smi, and otherwise asks the operating
        system. Check that your graphics driver is installed, then look again.
      </p>
      {probes.length > 0 ? <p className="panel__text">Tools tried: {probes.join(', ')}.</p> : null}
      <div>
        <button type="button" className="button" onClick={onLookAgain}>
          Look again
        </button>
      </div>
    </section>
  );
}
