import { Terminal } from '@xterm/xterm';
// Through Vite this becomes part of the bundled, same-origin stylesheet, which the CSP allows.
import '@xterm/xterm/css/xterm.css';
import { adoptXtermStyles } from './adopt-xterm-styles';
import { TERMINAL_FONT_FAMILY, TERMINAL_THEME } from './terminal-theme';

/**
 * Main gives every job a pty 120 columns wide. Drawing the log at that width keeps progress bars and
 * aligned tables as the job drew them; narrower windows scroll sideways instead of rewrapping.
 */
export const TERMINAL_COLS = 120;
export const TERMINAL_ROWS = 24;

export interface ReadOnlyTerminal {
  terminal: Terminal;
  dispose(): void;
}

/** An xterm that only shows output: nothing typed, pasted or clicked in it is sent anywhere. */
export function openReadOnlyTerminal(host: HTMLElement): ReadOnlyTerminal {
  const terminal = new Terminal({
    cols: TERMINAL_COLS,
    rows: TERMINAL_ROWS,
    // Belt and braces: nobody listens to onData, and this also stops xterm producing input at all.
    disableStdin: true,
    cursorBlink: false,
    cursorInactiveStyle: 'none',
    scrollback: 5000,
    fontFamily: TERMINAL_FONT_FAMILY,
    fontSize: 13,
    theme: TERMINAL_THEME,
    // A stranger's job may print OSC 8 hyperlinks; by default xterm offers to open them in a new window.
    // Here they stay plain text.
    linkHandler: { activate: () => {} },
  });
  terminal.open(host);
  const removeStyles = terminal.element ? adoptXtermStyles(terminal.element) : () => {};
  // The scroll area around the terminal is the keyboard stop; xterm's hidden input, labelled
  // "Terminal input", would promise typing this log does not take.
  if (terminal.textarea) terminal.textarea.tabIndex = -1;
  return {
    terminal,
    dispose() {
      removeStyles();
      terminal.dispose();
    },
  };
}
