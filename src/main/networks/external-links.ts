import type { Network } from '../../shared/schemas/network';

/** Sites a link in the UI may open in the owner's browser besides the networks' explorers. */
const ALWAYS = ['https://github.com'];

/**
 * Whether a link the UI asks to open may go to the owner's browser: https only, and only to the origin of
 * a network's block explorer (the Earnings page links transactions there) or the project's site. Anything
 * else (file:, a custom scheme, another site) is refused: shell.openExternal with untrusted input can run
 * programs (Electron's checklist, item 15).
 */
export function externalLinkAllowed(url: string, networks: readonly Pick<Network, 'explorerUrl'>[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  const origins = new Set(ALWAYS);
  for (const n of networks) {
    if (!n.explorerUrl) continue;
    try {
      const explorer = new URL(n.explorerUrl);
      if (explorer.protocol === 'https:') origins.add(explorer.origin);
    } catch {
      // a stored explorer that no longer parses links nowhere
    }
  }
  return origins.has(parsed.origin);
}
