/**
 * Base58 in the Bitcoin alphabet, as multibase `z…` strings use it for Ed25519 keys and signatures.
 * Written here so the fast signing path does not reach into another package's private dependencies.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT_OF = new Map([...ALPHABET].map((char, index) => [char, index]));
const ALPHABET_CODES = Buffer.from(ALPHABET, 'latin1');
const ONE = ALPHABET_CODES[0]!;

// Digits are worked out five at a time: a limb holds a number below 58^5, and each step feeds in two
// bytes, so a step's value stays below 58^5 × 65,536 + 65,536 < 2^53 and float arithmetic is exact.
const LIMB = 58 ** 5;
const LIMB_DIGITS = 5;

// Scratch space reused by every call (encoding is synchronous): the limbs, and the text as character codes
// written from its end, read out in one latin1 slice instead of a string built a character at a time.
let limbs = new Float64Array(32);
let text = Buffer.alloc(256);

/** Encodes bytes; each leading zero byte becomes a leading '1'. */
export function encodeBase58btc(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros += 1;
  // 58^5 > 2^29, so a limb covers at least 29 bits; the text needs at most 1.37 characters a byte.
  if (limbs.length < bytes.length / 3 + 2) limbs = new Float64Array(Math.ceil(bytes.length / 3) + 2);
  if (text.length < bytes.length * 2 + 8) text = Buffer.alloc(bytes.length * 2 + 8);
  // Limbs of the number, least significant first.
  let size = 0;
  const feed = (value: number, scale: number) => {
    let carry = value;
    for (let j = 0; j < size; j += 1) {
      carry += limbs[j]! * scale;
      const quotient = Math.floor(carry / LIMB);
      limbs[j] = carry - quotient * LIMB;
      carry = quotient;
    }
    while (carry > 0) {
      const quotient = Math.floor(carry / LIMB);
      limbs[size] = carry - quotient * LIMB;
      size += 1;
      carry = quotient;
    }
  };
  let i = zeros;
  // An odd byte first, so the rest go in pairs.
  if ((bytes.length - zeros) % 2 === 1) feed(bytes[i++]!, 256);
  for (; i < bytes.length; i += 2) feed(bytes[i]! * 256 + bytes[i + 1]!, 65_536);
  // Base-58 digits from the least significant, written from the end of the scratch text.
  const end = text.length;
  let start = end;
  for (let j = 0; j < size; j += 1) {
    let rest = limbs[j]!;
    for (let k = 0; k < LIMB_DIGITS; k += 1) {
      const quotient = Math.floor(rest / 58);
      start -= 1;
      text[start] = ALPHABET_CODES[rest - quotient * 58]!;
      rest = quotient;
    }
  }
  // The top limb's leading zero digits are not written; each leading zero byte is a '1'.
  while (start < end && text[start] === ONE) start += 1;
  for (let z = 0; z < zeros; z += 1) {
    start -= 1;
    text[start] = ONE;
  }
  return text.toString('latin1', start, end);
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
