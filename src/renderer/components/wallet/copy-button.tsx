import { useEffect, useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

/** Copies text to the clipboard and says "Copied" for a moment (or why it could not). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const id = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(id);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      // No clipboard permission (or no secure context): the text is selectable instead.
      setState('failed');
    }
  };

  return (
    <span className="wallet-copy">
      <button type="button" className="button button--small" onClick={() => void copy()}>
        {label}
      </button>
      <span className="wallet-copy__status" role="status">
        {state === 'copied'
          ? 'Copied'
          : state === 'failed'
            ? 'Could not copy: select it and copy it yourself.'
            : ''}
      </span>
    </span>
  );
}
