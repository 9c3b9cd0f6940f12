/**
 * Joins a job's log as fetched once (`job:logs`) with the live batches (`job:output`) heard meanwhile, so
 * that nothing is lost and, as far as the API allows, nothing is shown twice.
 *
 * Why this is not just "write the text, then every batch": main appends output to the log file the moment
 * the job prints it, but sends it to the UI in batches up to 16 ms later, and neither the text nor the
 * batches carry an offset. So, listening from before the fetch is sent:
 * - a batch heard before the text arrives was written to the file before main read it: it is inside the
 *   text (normally close to its end), and after it the text may hold output main had not sent yet;
 * - the first batch heard after the text may start with such output (it was waiting in the batcher).
 * The joiner finds that overlap by matching the batches against the end of the text. Without offsets that
 * is a best guess when a job repeats itself: a repeated piece may show twice, or, in the half second after
 * the text arrives, once instead of twice. An offset in `job:logs` and `job:output` would make it exact.
 */
export interface LogJoiner {
  /** A live batch of output, in the order heard. */
  push(data: string): void;
  /** The fetched text ('' if the fetch failed): written first, then only what the batches add to it. */
  fetched(text: string): void;
}

type State =
  | { phase: 'fetching'; heard: string[] }
  // Nothing was heard before the text: the next batch may start with the text's last, unsent output.
  | { phase: 'aligning'; tail: string; since: number }
  // The next batches should start with `shown`, output the text already holds that main has yet to send.
  | { phase: 'skipping'; shown: string }
  | { phase: 'live' };

/** Main's batcher sends at most 200 KiB at once, so an overlap is never longer than this. */
const MAX_OVERLAP = 256 * 1024;
/**
 * Output main had written but not sent when it read the file leaves its batcher within 16 ms, so it
 * arrives right after the text. A first batch arriving later is new output, even if it repeats the
 * text's end (a job printing the same line every second must not lose one).
 */
const ALIGN_WINDOW_MS = 500;

export function createLogJoiner(write: (data: string) => void, now: () => number = Date.now): LogJoiner {
  let state: State = { phase: 'fetching', heard: [] };

  const emit = (data: string) => {
    if (data !== '') write(data);
  };

  return {
    push(data) {
      switch (state.phase) {
        case 'fetching':
          state.heard.push(data);
          return;
        case 'aligning':
          emit(now() - state.since > ALIGN_WINDOW_MS ? data : data.slice(overlap(state.tail, data)));
          state = { phase: 'live' };
          return;
        case 'skipping': {
          const { shown } = state;
          if (shown.startsWith(data)) {
            // All of this batch is on screen already; more of `shown` may follow in the next one.
            state =
              shown.length > data.length
                ? { phase: 'skipping', shown: shown.slice(data.length) }
                : { phase: 'live' };
            return;
          }
          // A batch that does not continue the text means the guess was wrong: show it all, lose nothing.
          emit(data.startsWith(shown) ? data.slice(shown.length) : data);
          state = { phase: 'live' };
          return;
        }
        case 'live':
          emit(data);
      }
    },

    fetched(text) {
      if (state.phase !== 'fetching') return;
      emit(text);
      const heard = state.heard.join('');
      if (heard === '') {
        state =
          text === ''
            ? { phase: 'live' }
            : { phase: 'aligning', tail: text.slice(-MAX_OVERLAP), since: now() };
        return;
      }
      // The last place the heard output appears: main read the file moments after sending it.
      const at = text.lastIndexOf(heard);
      if (at >= 0) {
        const shown = text.slice(at + heard.length);
        state = shown === '' ? { phase: 'live' } : { phase: 'skipping', shown };
        return;
      }
      // Not inside the text: it began before the text does (a log longer than the tail fetched), or, over
      // HTTP where events and answers travel separately, it reaches past the text's end.
      emit(heard.slice(overlap(text, heard)));
      state = { phase: 'live' };
    },
  };
}

/**
 * The length of the longest end of `before` that `after` starts with. Knuth-Morris-Pratt, so a 256 KiB log
 * against a 200 KiB batch takes linear time rather than the quadratic time of trying every length.
 */
export function overlap(before: string, after: string): number {
  const n = Math.min(before.length, after.length);
  if (n === 0) return 0;
  const pattern = after.slice(0, n);
  const text = before.slice(before.length - n);
  // fail[i]: the length of the longest proper prefix of pattern[0..i] that is also its suffix.
  const fail = new Int32Array(n);
  for (let i = 1, k = 0; i < n; i++) {
    while (k > 0 && pattern[i] !== pattern[k]) k = fail[k - 1]!;
    if (pattern[i] === pattern[k]) k++;
    fail[i] = k;
  }
  let matched = 0;
  for (let i = 0; i < n; i++) {
    while (matched > 0 && text[i] !== pattern[matched]) matched = fail[matched - 1]!;
    if (text[i] === pattern[matched]) matched++;
  }
  // `text` and `pattern` are equally long, so a full match can only happen at the very end.
  return matched;
}
