/** 0x7099…79C8: enough to tell renters apart in a sentence. */
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}
