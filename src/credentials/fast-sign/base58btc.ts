/**
 * Base58 in the Bitcoin alphabet, as multibase `z…` strings use it for Ed25519 keys and signatures.
 * Written here so the fast signing path does not reach into another package's private dependencies.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT_OF = new Map([...ALPHABET].map((char, index) => [char, index]));

// Digits are worked out five at a time: a limb holds a number below 58^5, and each step feeds in two
// bytes, so a step's value stays below 58^5 × 65,536 + 65,536 < 2^53 and float arithmetic is exact.
const LIMB = 58 ** 5;
const LIMB_DIGITS = 5;

/** Encodes bytes; each leading zero byte becomes a leading '1'. */
export function encodeBase58btc(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros += 1;
  // Limbs of the number, least significant first.
  const limbs: number[] = [];
  const feed = (value: number, scale: number) => {
    let carry = value;
    for (let j = 0; j < limbs.length; j += 1) {
      carry += limbs[j]! * scale;
      const quotient = Math.floor(carry / LIMB);
      limbs[j] = carry - quotient * LIMB;
      carry = quotient;
    }
    while (carry > 0) {
      const quotient = Math.floor(carry / LIMB);
      limbs.push(carry - quotient * LIMB);
      carry = quotient;
    }
  };
  let i = zeros;
  // An odd byte first, so the rest go in pairs.
  if ((bytes.length - zeros) % 2 === 1) feed(bytes[i++]!, 256);
  for (; i < bytes.length; i += 2) feed(bytes[i]! * 256 + bytes[i + 1]!, 65_536);
  // Base-58 digits, least significant first; the top limb's leading zero digits are not written.
  const digits: number[] = [];
  for (const limb of limbs) {
    let rest = limb;
    for (let k = 0; k < LIMB_DIGITS; k += 1) {
      digits.push(rest % 58);
      rest = Math.floor(rest / 58);
    }
  }
  while (digits.length > 0 && digits[digits.length - 1] === 0) digits.pop();
  let text = '1'.repeat(zeros);
  for (let d = digits.length - 1; d >= 0; d -= 1) text += ALPHABET[digits[d]!];
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
