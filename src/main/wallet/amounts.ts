import { getAddress, parseUnits, ZeroAddress } from 'ethers';
import { UserFacingError } from '../core/router';

/** The recipient, checksummed; refuses what would lose the money or was mistyped. */
export function parseRecipient(text: string): string {
  const trimmed = text.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(trimmed))
    throw new UserFacingError('The address must be 0x followed by 40 hex digits.', 'to');
  let address: string;
  try {
    address = getAddress(trimmed);
  } catch {
    // Mixed case encodes an EIP-55 checksum: a wrong one means a typo or a truncated copy.
    throw new UserFacingError(
      'The address has a wrong checksum (its upper and lower case letters do not match): check it was copied whole.',
      'to',
    );
  }
  if (address === ZeroAddress)
    throw new UserFacingError('That is the zero address: anything sent there is lost.', 'to');
  return address;
}

/** Whole units ("12.5") to base units, exactly; never through a float. */
export function parseAmount(text: string, decimals: number, symbol: string): bigint {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed))
    throw new UserFacingError('The amount must be a positive number such as 12.5.', 'amount');
  const [whole = '0', rawFraction = ''] = trimmed.split('.');
  const fraction = rawFraction.replace(/0+$/, ''); // "1.50" is 1.5, whatever the token's decimals
  if (fraction.length > decimals)
    throw new UserFacingError(
      decimals === 0
        ? `${symbol} has no decimal places: send a whole number.`
        : `The amount has more than ${decimals} decimal places (${symbol} has ${decimals}).`,
      'amount',
    );
  const units = parseUnits(fraction ? `${whole}.${fraction}` : whole, decimals);
  if (units === 0n) throw new UserFacingError('The amount must be more than 0.', 'amount');
  return units;
}
