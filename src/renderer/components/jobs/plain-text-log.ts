/**
 * The last lines of a job's terminal output as plain text, for the screen-reader (and test) mirror beside
 * the terminal: xterm's own DOM is a grid of styled spans that assistive technology cannot read reliably.
 *
 * Escape sequences (colours, cursor moves, titles) are dropped, a carriage return starts its line over
 * (how progress bars redraw), and a backspace removes a character. It is a reading aid, not a second
 * terminal: cursor-addressed screens come out as the text they print, in order.
 *
 * A state machine rather than a regular expression, because main's batches split escape sequences and
 * "\r\n" pairs anywhere.
 */
export interface PlainTextLog {
  append(data: string): void;
  reset(): void;
  /** The kept lines, oldest first, joined with "\n". */
  text(): string;
}

type Mode =
  | 'text'
  | 'escape' // after ESC
  | 'intermediate' // ESC followed by intermediate bytes, e.g. ESC ( B
  | 'csi' // after ESC [ or the 8-bit CSI, until a final byte
  | 'string' // OSC, DCS, SOS, PM or APC: until BEL or ST
  | 'string-escape'; // an ESC inside a string, probably the start of ST (ESC \)

/** A job printing without newlines must not grow one line without bound. */
const MAX_LINE_CHARS = 4096;
// Control characters and the 8-bit introducers xterm also honours (CSI, DCS, OSC, SOS, PM, APC).
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's whole job
const SPECIAL = /[\u0000-\u001f\u007f\u0090\u0098\u009b\u009d\u009e\u009f]/g;

export function createPlainTextLog(maxLines: number): PlainTextLog {
  let lines: string[] = [];
  let current = '';
  let mode: Mode = 'text';
  // A carriage return not yet followed by anything: before "\n" it ends the line, before text it rewinds.
  let returned = false;

  const addText = (chunk: string) => {
    if (chunk === '') return;
    if (returned) {
      current = '';
      returned = false;
    }
    current += chunk;
    if (current.length > MAX_LINE_CHARS) current = current.slice(-MAX_LINE_CHARS);
  };

  const endLine = () => {
    lines.push(current);
    current = '';
    returned = false;
    if (lines.length > maxLines * 2) lines = lines.slice(-maxLines);
  };

  const control = (char: string) => {
    switch (char) {
      case '\n':
        endLine();
        return;
      case '\r':
        returned = true;
        return;
      case '\b':
        current = current.slice(0, -1);
        return;
      case '\t':
        addText('\t');
        return;
      case '\u001b':
        mode = 'escape';
        return;
      case '\u009b':
        mode = 'csi';
        return;
      case '\u0090':
      case '\u0098':
      case '\u009d':
      case '\u009e':
      case '\u009f':
        mode = 'string';
        return;
      // Every other control character (bell, shift in/out, ...) prints nothing.
    }
  };

  const append = (data: string) => {
    let i = 0;
    while (i < data.length) {
      const char = data[i]!;
      switch (mode) {
        case 'text': {
          SPECIAL.lastIndex = i;
          const found = SPECIAL.exec(data);
          const end = found ? found.index : data.length;
          addText(data.slice(i, end));
          if (found) control(found[0]);
          i = end + 1;
          continue;
        }
        case 'escape':
          if (char === '[') mode = 'csi';
          else if (char === ']' || char === 'P' || char === 'X' || char === '^' || char === '_')
            mode = 'string';
          else if (char >= ' ' && char <= '/') mode = 'intermediate';
          else mode = 'text'; // a two-character sequence such as ESC 7 or ESC =
          break;
        case 'intermediate':
          if (char < ' ' || char > '/') mode = 'text';
          break;
        case 'csi':
          if (char >= '@' && char <= '~') mode = 'text';
          break;
        case 'string':
          if (char === '\u0007' || char === '\u009c') mode = 'text';
          else if (char === '\u001b') mode = 'string-escape';
          break;
        case 'string-escape':
          mode = char === '\\' ? 'text' : 'string';
          break;
      }
      i++;
    }
  };

  return {
    append,
    reset() {
      lines = [];
      current = '';
      mode = 'text';
      returned = false;
    },
    text() {
      const kept = current === '' ? lines.slice(-maxLines) : [...lines.slice(-(maxLines - 1)), current];
      return kept.join('\n');
    },
  };
}
