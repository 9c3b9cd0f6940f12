/**
 * Lets xterm style itself under the app's Content Security Policy (`style-src 'self'`, no 'unsafe-inline').
 *
 * xterm 6's DOM renderer writes the CSS each terminal needs (the rows' font and `white-space: pre`, the
 * 256 palette colours as classes, cursor, selection, scrollbar slider) into <style> elements it appends
 * to `.xterm-screen`. The CSP blocks those (style-src-elem), which leaves output unstyled and its spacing
 * collapsed. The CSSOM is not subject to the CSP: xterm's own `element.style.x = …` writes apply, and so
 * does a constructed stylesheet. So this copies the text of those <style> elements into one constructed
 * sheet adopted by the document, and follows xterm when it rewrites them.
 *
 * Why that is safe: the CSS copied is what xterm generates from our own options (theme, font); a job's
 * output never reaches it, since output only picks which classes a cell gets. Only <style> children of
 * this terminal's own `.xterm-screen` are copied, and nothing in xterm turns output into elements. What
 * stays blocked is xterm's `setAttribute('style', …)` for 24-bit colours: such cells show in the default
 * colour. The CSP itself is unchanged.
 *
 * Returns the function that removes the sheet again; call it when the terminal is disposed.
 */
export function adoptXtermStyles(terminalElement: HTMLElement): () => void {
  const screen = terminalElement.querySelector('.xterm-screen');
  if (!screen) return () => {};

  const sheet = new CSSStyleSheet();
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  let copied = '';
  const watched = new WeakSet<HTMLStyleElement>();

  const copy = () => {
    const styles = [...screen.children].filter((el) => el instanceof HTMLStyleElement);
    for (const style of styles) {
      if (watched.has(style)) continue;
      watched.add(style);
      // xterm rewrites a style element's textContent on theme and size changes.
      observer.observe(style, { childList: true, characterData: true, subtree: true });
    }
    const css = styles.map((style) => style.textContent).join('\n');
    if (css === copied) return;
    copied = css;
    sheet.replaceSync(css);
  };

  const observer = new MutationObserver(copy);
  // Direct children only: the rows below change on every frame and hold no styles.
  observer.observe(screen, { childList: true });
  copy();

  return () => {
    observer.disconnect();
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
  };
}
