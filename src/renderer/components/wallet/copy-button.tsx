import { useEffect, useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * Copies text to the clipboard and says "Copied" for a moment (or why it could not). `accessibleName`
 * tells apart buttons that show the same short label, such as one "Copy" per table row.
 */
export function CopyButton({
  text,
  label,
  accessibleName,
}: {
  text: string;
  label: string;
  accessibleName?: string;
}) {
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
      <button
        type="button"
        className="button button--small"
        aria-label={accessibleName}
        onClick={() => void copy()}
      >
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
