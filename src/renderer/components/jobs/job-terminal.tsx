import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Terminal } from '@xterm/xterm';
import { streamJobLog } from '../../hooks/job-log-stream';
import { createPlainTextLog } from './plain-text-log';
import { openReadOnlyTerminal } from './read-only-terminal';

/** How much of the log the plain-text mirror keeps: enough to read the end of a run, cheap to rewrite. */
const MIRROR_LINES = 200;

/** Keys that scroll the terminal while its frame has focus (xterm's own input is out of the tab order). */
const scrollKeys: Record<string, (terminal: Terminal) => void> = {
  ArrowUp: (t) => t.scrollLines(-1),
  ArrowDown: (t) => t.scrollLines(1),
  PageUp: (t) => t.scrollPages(-1),
  PageDown: (t) => t.scrollPages(1),
  Home: (t) => t.scrollToTop(),
  End: (t) => t.scrollToBottom(),
};

/**
 * One job's live log in a read-only xterm, plus a visually hidden plain-text copy of its last lines for
 * screen readers (and tests), since xterm's grid of spans does not read as text. Render it with
 * `key={jobId}`: each job gets a fresh terminal, disposed when it goes.
 */
export function JobTerminal({ jobId, name }: { jobId: string; name: string }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const textRef = useRef<HTMLPreElement>(null);
  const terminalRef = useRef<Terminal | null>(null);
  const [error, setError] = useState<string | null>(null);
  const hintId = useId();

  useEffect(() => {
    const host = hostRef.current;
    const mirror = textRef.current;
    if (!host || !mirror) return;
    const opened = openReadOnlyTerminal(host);
    terminalRef.current = opened.terminal;
    const plain = createPlainTextLog(MIRROR_LINES);
    const stop = streamJobLog(jobId, {
      reset() {
        opened.terminal.reset();
        plain.reset();
        mirror.textContent = '';
      },
      write(data) {
        opened.terminal.write(data);
        plain.append(data);
        // Written straight to the DOM, not through state: output arrives up to 60 times a second and
        // nothing else on the page depends on it.
        mirror.textContent = plain.text();
      },
      failed: setError,
    });
    return () => {
      stop();
      terminalRef.current = null;
      opened.dispose();
    };
  }, [jobId]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const scroll = scrollKeys[event.key];
    const terminal = terminalRef.current;
    if (!scroll || !terminal) return;
    event.preventDefault();
    scroll(terminal);
  };

  return (
    <>
      {error ? (
        <p className="inline-error" role="alert">
          Couldn’t load the log so far: {error}. New output still appears below.
        </p>
      ) : null}
      <div
        className="job-terminal"
        data-testid="job-terminal"
        role="region"
        aria-label={`Terminal view of the log of ${name}`}
        aria-describedby={hintId}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        {/* Hidden from assistive technology: the plain-text copy below says the same, readably. */}
        <div className="job-terminal__screen" ref={hostRef} aria-hidden="true" />
      </div>
      <p id={hintId} className="job-terminal__hint">
        With the log focused, arrow keys, Page Up, Page Down, Home and End scroll it.
      </p>
      <h3 className="visually-hidden">Last {MIRROR_LINES} lines as text</h3>
      {/* aria-live off: announcing every line of a chatty job would drown everything else out. */}
      <pre className="visually-hidden" data-testid="job-log-text" aria-live="off" ref={textRef} />
    </>
  );
}
