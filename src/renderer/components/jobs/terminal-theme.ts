import type { ITheme } from '@xterm/xterm';

/**
 * The terminal's colours, taken from the app's palette in styles.css (xterm needs literal values, not
 * CSS variables). Text colours keep 4.5:1 contrast on the background; black is lifted off it so that
 * output printed in black is still visible.
 */
export const TERMINAL_THEME: ITheme = {
  background: '#0b0f17', // --bg
  foreground: '#e6e9f2', // --text
  cursor: '#a89bff', // --accent
  cursorAccent: '#0b0f17',
  selectionBackground: 'rgba(124, 108, 240, 0.45)',
  selectionInactiveBackground: 'rgba(124, 108, 240, 0.25)',
  scrollbarSliderBackground: 'rgba(154, 164, 184, 0.25)',
  scrollbarSliderHoverBackground: 'rgba(154, 164, 184, 0.4)',
  scrollbarSliderActiveBackground: 'rgba(168, 155, 255, 0.5)',
  black: '#34415e', // --border-strong
  red: '#ff8a8a', // --danger
  green: '#3ddc97', // --ok
  yellow: '#f5b942', // --warn
  blue: '#7aa2ff',
  magenta: '#c99cff',
  cyan: '#5fd4e6',
  white: '#c9cfdc',
  brightBlack: '#9aa4b8', // --text-muted
  brightRed: '#ffb0b0',
  brightGreen: '#7eecb9',
  brightYellow: '#ffd27a',
  brightBlue: '#a9c2ff',
  brightMagenta: '#ddc2ff',
  brightCyan: '#9ae6f2',
  brightWhite: '#ffffff',
};

/** The app's monospace stack (--font-mono), so log text matches the paths and code shown elsewhere. */
export const TERMINAL_FONT_FAMILY =
  "ui-monospace, 'Cascadia Mono', 'Segoe UI Mono', 'Liberation Mono', Menlo, monospace";
