// Draws Nocturne's crescent-moon icons as PNGs (no image tools needed): `node scripts/make-icons.js`.
// The outputs are committed; rerun only when the mark changes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A crescent: a disc minus a shifted disc, 4x4 supersampled, optionally on a rounded dark tile, and for
 * the tray's states a coloured dot at the lower right (none, and a dimmed moon, when offline).
 */
function moon(size, { tile, badge = null, dim = false }) {
  const coverage = (x, y, test) => {
    let hits = 0;
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) hits += test((x + (i + 0.5) / 4) / size, (y + (j + 0.5) / 4) / size);
    return hits / 16;
  };
  const inMoon = (u, v) =>
    (u - 0.5) ** 2 + (v - 0.5) ** 2 < 0.34 ** 2 && (u - 0.64) ** 2 + (v - 0.38) ** 2 > 0.27 ** 2;
  const inTile = (u, v) => {
    const r = 0.2;
    const dx = Math.max(Math.abs(u - 0.5) - (0.5 - r), 0);
    const dy = Math.max(Math.abs(v - 0.5) - (0.5 - r), 0);
    return dx * dx + dy * dy < r * r;
  };
  const inBadge = (u, v) => (u - 0.78) ** 2 + (v - 0.78) ** 2 < 0.2 ** 2;
  const inBadgeRing = (u, v) => (u - 0.78) ** 2 + (v - 0.78) ** 2 < 0.26 ** 2;
  return png(size, (x, y) => {
    if (badge) {
      const b = coverage(x, y, inBadge);
      if (b > 0) return [...badge, Math.round(b * 255)];
      // A transparent ring keeps the dot apart from the moon on any tray colour.
      if (coverage(x, y, inBadgeRing) > 0) return [0, 0, 0, 0];
    }
    const m = coverage(x, y, inMoon);
    const t = tile ? coverage(x, y, inTile) : 0;
    const moonRgb = dim ? [128, 128, 140] : [167, 139, 250];
    const tileRgb = [17, 22, 36];
    const alpha = Math.max(m, t);
    if (alpha === 0) return [0, 0, 0, 0];
    const mix = tile ? m : 1;
    const rgb = moonRgb.map((c, k) => Math.round(c * mix + tileRgb[k] * (1 - mix)));
    return [...rgb, Math.round(alpha * 255)];
  });
}

mkdirSync('resources', { recursive: true });
mkdirSync('src/renderer/public', { recursive: true });
writeFileSync('resources/icon.png', moon(512, { tile: true }));
writeFileSync('resources/tray-icon.png', moon(32, { tile: false }));
writeFileSync('resources/tray-icon@2x.png', moon(64, { tile: false }));
writeFileSync('src/renderer/public/favicon.png', moon(64, { tile: true }));
// One tray icon per state (src/main/tray/tray-view.ts names them); Electron picks @2x on high-DPI screens.
const TRAY_STATES = {
  earning: { badge: [61, 220, 151] },
  waiting: { badge: [92, 200, 255] },
  paused: { badge: [245, 185, 66] },
  hot: { badge: [255, 112, 67] },
  offline: { dim: true },
  error: { badge: [255, 77, 77] },
};
mkdirSync('resources/tray', { recursive: true });
for (const [state, look] of Object.entries(TRAY_STATES)) {
  writeFileSync(`resources/tray/${state}.png`, moon(32, { tile: false, ...look }));
  writeFileSync(`resources/tray/${state}@2x.png`, moon(64, { tile: false, ...look }));
}
console.log(
  'Wrote resources/icon.png, resources/tray-icon(@2x).png, resources/tray/<state>(@2x).png, src/renderer/public/favicon.png',
);
