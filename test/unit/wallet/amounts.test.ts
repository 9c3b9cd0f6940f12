import { describe, expect, it } from 'vitest';
import { parseAmount, parseRecipient } from '../../../src/main/wallet/amounts';

describe('payment amounts', () => {
  it('turns whole units into base units exactly, never through a float', () => {
    expect(parseAmount('12.5', 6, 'tUSD')).toBe(12_500_000n);
    expect(parseAmount('0.000001', 6, 'tUSD')).toBe(1n);
    expect(parseAmount('1.500000000', 6, 'tUSD')).toBe(1_500_000n); // trailing zeros are not precision
    expect(parseAmount('0.1', 18, 'ETH')).toBe(100_000_000_000_000_000n);
    expect(parseAmount('123456789012345678901234567890', 0, 'X')).toBe(123456789012345678901234567890n);
  });

  it('refuses zero, negatives, words and more decimals than the token has', () => {
    expect(() => parseAmount('0', 6, 'tUSD')).toThrow('more than 0');
    expect(() => parseAmount('0.000', 6, 'tUSD')).toThrow('more than 0');
    expect(() => parseAmount('-1', 6, 'tUSD')).toThrow('positive number');
    expect(() => parseAmount('1e3', 6, 'tUSD')).toThrow('positive number');
    expect(() => parseAmount('0.0000001', 6, 'tUSD')).toThrow('more than 6 decimal places (tUSD has 6)');
    expect(() => parseAmount('1.5', 0, 'NFT')).toThrow('no decimal places');
  });
});

describe('payment recipients', () => {
  const good = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

  it('accepts a checksummed or all-lower-case address and returns it checksummed', () => {
    expect(parseRecipient(good)).toBe(good);
    expect(parseRecipient(good.toLowerCase())).toBe(good);
    expect(parseRecipient(`  ${good}  `)).toBe(good);
  });

  it('refuses a wrong checksum, a short address and the zero address, naming the field', () => {
    const flipped = good.replace('C51812dc', 'c51812dc');
    expect(() => parseRecipient(flipped)).toThrow('wrong checksum');
    expect(() => parseRecipient(good.slice(0, 41))).toThrow('40 hex digits');
    expect(() => parseRecipient(`0x${'0'.repeat(40)}`)).toThrow('zero address');
    try {
      parseRecipient(flipped);
    } catch (error) {
      expect((error as { field?: string }).field).toBe('to');
    }
  });
});
