/**
 * Relay addresses as the owner types them (the p2pRelays setting): a circuit relay v2 node's multiaddr that
 * names its peer id, such as `/ip4/203.0.113.7/tcp/4001/p2p/12D3KooW…`. The provider listens on
 * `<relay>/p2p-circuit` for each. Checked by hand (no multiaddr library here: this module is in the UI's
 * bundle too), for exactly what the node can dial: TCP, or WebSockets over it.
 */

/** Relays a provider listens through, at most. */
export const MAX_RELAYS = 8;

/**
 * The longest relay address: its circuit address adds `/p2p-circuit/p2p/<our peer id>` (up to 76 more
 * bytes), and the registry takes multiaddrs of at most 256 bytes.
 */
export const MAX_RELAY_ADDRESS_LENGTH = 180;

export const RELAY_ADDRESS_EXAMPLE = '/ip4/203.0.113.7/tcp/4001/p2p/12D3KooW…';

/** A base58btc peer id (`12D3KooW…` for Ed25519, `Qm…` for RSA, `16Uiu2…` for secp256k1). */
const PEER_ID = /^[1-9A-HJ-NP-Za-km-z]{46,60}$/;
const IP4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IP6 = /^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$/;
const DNS_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** The relay's peer id: the value of the address's last `/p2p/` part (null when it has none). */
export function relayPeerId(address: string): string | null {
  const match = /\/p2p\/([^/]+)\/?$/.exec(address.trim());
  return match ? match[1]! : null;
}

/** Why `text` is not a relay address the provider can listen through, naming it; null when it is one. */
export function relayAddressProblem(text: string): string | null {
  const address = text.trim();
  if (address === '') return 'an empty entry is not a relay address';
  const quoted = `"${address.length > MAX_RELAY_ADDRESS_LENGTH ? `${address.slice(0, 60)}…` : address}"`;
  if (address.length > MAX_RELAY_ADDRESS_LENGTH)
    return `${quoted} is longer than ${MAX_RELAY_ADDRESS_LENGTH} characters`;
  if (/\s/.test(address)) return `${quoted} has a space in it: give one relay address per line`;
  if (address.includes('/p2p-circuit'))
    return `${quoted} already has /p2p-circuit: give the relay's own address (Nocturne adds /p2p-circuit)`;
  const peerId = relayPeerId(address);
  if (peerId === null)
    return `${quoted} must end in /p2p/ and the relay's peer id (${RELAY_ADDRESS_EXAMPLE})`;
  if (!PEER_ID.test(peerId)) return `${quoted} ends in "${peerId}", which is not a peer id`;
  return shapeProblem(address, quoted);
}

/** The transport part: `/ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>[/ws|/wss|/tls/ws]`, or `/dnsaddr/<name>`. */
function shapeProblem(address: string, quoted: string): string | null {
  const parts = address.replace(/\/$/, '').split('/').slice(1, -2); // without the leading '' and /p2p/<id>
  const notRelay = `${quoted} is not a relay address such as ${RELAY_ADDRESS_EXAMPLE}`;
  const [proto, host, ...rest] = parts;
  if (proto === undefined || host === undefined) return notRelay;
  if (proto === 'dnsaddr') return rest.length === 0 && DNS_NAME.test(host) ? null : notRelay;
  const hostOk =
    proto === 'ip4'
      ? IP4.test(host)
      : proto === 'ip6'
        ? IP6.test(host)
        : (proto === 'dns' || proto === 'dns4' || proto === 'dns6') && DNS_NAME.test(host);
  if (!hostOk) return notRelay;
  const [transport, port, ...over] = rest;
  if (transport !== 'tcp')
    return `${quoted} is not over TCP: Nocturne reaches relays over TCP or WebSockets (${RELAY_ADDRESS_EXAMPLE})`;
  const portNumber = /^\d{1,5}$/.test(port ?? '') ? Number(port) : 0;
  if (portNumber < 1 || portNumber > 65535) return `${quoted} needs a TCP port from 1 to 65535`;
  const tail = over.join('/');
  if (tail !== '' && tail !== 'ws' && tail !== 'wss' && tail !== 'tls/ws') return notRelay;
  return null;
}
