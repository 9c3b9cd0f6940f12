import { describe, expect, it } from 'vitest';
import {
  MAX_RELAY_ADDRESS_LENGTH,
  relayAddressProblem,
  relayPeerId,
} from '../../../src/shared/relay-address';
import { DEFAULT_SETTINGS, SettingsPatchSchema } from '../../../src/shared/schemas/settings';
import { parseLines } from '../../../src/renderer/format/settings-patch';

const ID = '12D3KooWCLHEKAY46T3G5rNKUnWZVk7oXCDZzqiSWoCSShrH4eWs';
const RELAY = `/ip4/203.0.113.7/tcp/4001/p2p/${ID}`;

const issues = (p2pRelays: unknown) => {
  const parsed = SettingsPatchSchema.safeParse({ p2pRelays });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the p2pRelays setting', () => {
  it('is empty by default, and takes relays over TCP or WebSockets that name their peer id', () => {
    expect(DEFAULT_SETTINGS.p2pRelays).toEqual([]);
    const good = [
      RELAY,
      `/ip4/127.0.0.1/tcp/40001/ws/p2p/${ID}`,
      `/dns4/relay.example.com/tcp/443/wss/p2p/${ID}`,
      `/dns/relay.example.com/tcp/443/tls/ws/p2p/${ID}`,
      `/ip6/2001:db8::7/tcp/4001/p2p/${ID}`,
      `/dnsaddr/relay.example.com/p2p/${ID}`,
      `/ip4/203.0.113.8/tcp/4001/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN`,
    ];
    for (const relay of good) expect(relayAddressProblem(relay), relay).toBeNull();
    expect(SettingsPatchSchema.parse({ p2pRelays: [`  ${RELAY} `] })).toEqual({ p2pRelays: [RELAY] });
    expect(relayPeerId(RELAY)).toBe(ID);
  });

  it('refuses a bad entry with a message that names it, at its index', () => {
    expect(issues(['/ip4/203.0.113.7/tcp/4001'])).toEqual([
      `p2pRelays.0: "/ip4/203.0.113.7/tcp/4001" must end in /p2p/ and the relay's peer id (/ip4/203.0.113.7/tcp/4001/p2p/12D3KooW…)`,
    ]);
    expect(issues([RELAY, `${RELAY}/p2p-circuit`])).toEqual([
      `p2pRelays.1: "${RELAY}/p2p-circuit" already has /p2p-circuit: give the relay's own address (Nocturne adds /p2p-circuit)`,
    ]);
    expect(issues([`/ip4/203.0.113.7/udp/4001/quic-v1/p2p/${ID}`])[0]).toMatch(
      /^p2pRelays.0: ".*quic-v1.*" is not over TCP/,
    );
    expect(issues([`/ip4/203.0.113.7/tcp/70000/p2p/${ID}`])[0]).toMatch(/needs a TCP port from 1 to 65535$/);
    expect(issues([`/ip4/203.0.113.300/tcp/4001/p2p/${ID}`])[0]).toMatch(/is not a relay address such as/);
    expect(issues([`/ip4/203.0.113.7/tcp/4001/p2p/not-a-peer`])[0]).toMatch(
      /ends in "not-a-peer", which is not a peer id$/,
    );
    expect(issues([`/ip4/203.0.113.7/tcp/4001/http/p2p/${ID}`])[0]).toMatch(/is not a relay address/);
    expect(issues(['relay.example.com 4001'])[0]).toMatch(/has a space in it/);
    expect(issues([''])).toEqual(['p2pRelays.0: an empty entry is not a relay address']);
    expect(issues([RELAY, RELAY])).toEqual([`p2pRelays.1: "${RELAY}" is listed twice`]);
    const long = `/dns4/${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.example/tcp/1/p2p/${ID}`;
    expect(long.length).toBeGreaterThan(MAX_RELAY_ADDRESS_LENGTH);
    expect(issues([long])[0]).toMatch(/is longer than 180 characters$/);
  });

  it('takes at most 8 relays', () => {
    const nine = Array.from({ length: 9 }, (_, i) => `/ip4/203.0.113.${i}/tcp/4001/p2p/${ID}`);
    expect(issues(nine.slice(0, 8))).toEqual([]);
    expect(issues(nine)).toEqual(['p2pRelays: must list at most 8 relays']);
  });

  it('is typed one per line in Settings: blank lines and repeats dropped', () => {
    expect(parseLines(`\n ${RELAY} \r\n\n${RELAY}\n/ip4/1.2.3.4/tcp/1/p2p/${ID}\n`)).toEqual([
      RELAY,
      `/ip4/1.2.3.4/tcp/1/p2p/${ID}`,
    ]);
    expect(parseLines('  \n')).toEqual([]);
  });
});
