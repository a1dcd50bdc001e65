/**
 * Base58 in the Bitcoin alphabet, as multibase `z…` strings use it for Ed25519 keys and signatures.
 * Written here so the fast signing path does not reach into another package's private dependencies.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT_OF = new Map([...ALPHABET].map((char, index) => [char, index]));

/** Encodes bytes; each leading zero byte becomes a leading '1'. */
export function encodeBase58btc(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros += 1;
  // Base-58 digits, least significant first; each input byte multiplies the number by 256.
  // (Every intermediate value stays below 58 × 256 + 256, so integer arithmetic with `| 0` is exact.)
  const digits: number[] = [];
  for (let i = zeros; i < bytes.length; i += 1) {
    let carry = bytes[i]!;
    for (let j = 0; j < digits.length; j += 1) {
      carry += digits[j]! << 8;
      const quotient = (carry / 58) | 0;
      digits[j] = carry - quotient * 58;
      carry = quotient;
    }
    while (carry > 0) {
      const quotient = (carry / 58) | 0;
      digits.push(carry - quotient * 58);
      carry = quotient;
    }
  }
  let text = '1'.repeat(zeros);
  for (let i = digits.length - 1; i >= 0; i -= 1) text += ALPHABET[digits[i]!];
  return text;
}

/** Decodes base58btc text; throws on a character outside the alphabet. */
export function decodeBase58btc(text: string): Uint8Array {
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros += 1;
  // Bytes, least significant first.
  const bytes: number[] = [];
  for (let i = zeros; i < text.length; i += 1) {
    const digit = DIGIT_OF.get(text[i]!);
    if (digit === undefined)
      throw new Error(`Not base58btc: unexpected character ${JSON.stringify(text[i])}.`);
    let carry = digit;
    for (let j = 0; j < bytes.length; j += 1) {
      carry += bytes[j]! * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const result = new Uint8Array(zeros + bytes.length);
  for (let i = 0; i < bytes.length; i += 1) result[result.length - 1 - i] = bytes[i]!;
  return result;
}
