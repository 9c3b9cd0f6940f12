const UNITS = [
  { label: 'd', ms: 86_400_000 },
  { label: 'h', ms: 3_600_000 },
  { label: 'min', ms: 60_000 },
  { label: 's', ms: 1_000 },
] as const;

/** "3 d 4 h 12 min", "4 h 12 min 5 s", "5 s": the three largest units, starting at the first non-zero one. */
export function formatDuration(ms: number): string {
  // The clock of a remote `nocturne serve` can run slightly ahead of this one.
  let rest = Math.max(0, Math.floor(ms / 1000) * 1000);
  const parts: string[] = [];
  for (const unit of UNITS) {
    const count = Math.floor(rest / unit.ms);
    rest -= count * unit.ms;
    if (parts.length > 0 || count > 0) parts.push(`${count} ${unit.label}`);
  }
  return parts.length === 0 ? '0 s' : parts.slice(0, 3).join(' ');
}
