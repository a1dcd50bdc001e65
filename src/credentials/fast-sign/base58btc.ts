/**
 * Base58 in the Bitcoin alphabet, as multibase `z…` strings use it for Ed25519 keys and signatures.
 * Written here so the fast signing path does not reach into another package's private dependencies.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
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

// Division is the slow step. Multiplying by the inverse gives the quotient, or one off it if the product
// rounds across a whole number; the check after it makes the result exact either way.
const LIMB_INVERSE = 1 / LIMB;

/**
 * Multiplies the `size` limbs by `scale` and adds `value`; returns the new size. A module function, not a
 * closure per call: a closure made on every signature cost an allocation (and, under tsx, a naming call).
 */
function feedLimbs(size: number, value: number, scale: number): number {
  let carry = value;
  for (let j = 0; j < size; j += 1) {
    carry += limbs[j]! * scale;
    // carry < 58^5 × 65,536 + 65,536 < 2^46: the product and the rest are exact.
    let quotient = Math.floor(carry * LIMB_INVERSE);
    let rest = carry - quotient * LIMB;
    if (rest < 0) {
      quotient -= 1;
      rest += LIMB;
    } else if (rest >= LIMB) {
      quotient += 1;
      rest -= LIMB;
    }
    limbs[j] = rest;
    carry = quotient;
  }
  let next = size;
  while (carry > 0) {
    const quotient = Math.floor(carry / LIMB);
    limbs[next] = carry - quotient * LIMB;
    next += 1;
    carry = quotient;
  }
  return next;
}

/** Encodes bytes; each leading zero byte becomes a leading '1'. */
export function encodeBase58btc(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros += 1;
  // 58^5 > 2^29, so a limb covers at least 29 bits; the text needs at most 1.37 characters a byte.
  if (limbs.length < bytes.length / 3 + 2) limbs = new Float64Array(Math.ceil(bytes.length / 3) + 2);
  if (text.length < bytes.length * 2 + 8) text = Buffer.alloc(bytes.length * 2 + 8);
  // Limbs of the number, least significant first.
  let size = 0;
  let i = zeros;
  // An odd byte first, so the rest go in pairs.
  if ((bytes.length - zeros) % 2 === 1) size = feedLimbs(size, bytes[i++]!, 256);
  for (; i < bytes.length; i += 2) size = feedLimbs(size, bytes[i]! * 256 + bytes[i + 1]!, 65_536);
  // Base-58 digits from the least significant, written from the end of the scratch text.
  const end = text.length;
  let start = end;
  for (let j = 0; j < size; j += 1) {
    // A limb is below 58^5 < 2^31: integer division, which the compiler turns into a multiplication.
    let rest = limbs[j]! | 0;
    for (let k = 0; k < LIMB_DIGITS; k += 1) {
      const quotient = (rest / 58) | 0;
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

/** Each character's digit by its code (-1 outside the alphabet), for the ASCII codes a digit can have. */
const DIGIT_BY_CODE = new Int8Array(128).fill(-1);
for (const [index, char] of [...ALPHABET].entries()) DIGIT_BY_CODE[char.charCodeAt(0)] = index;

// Decoding works on limbs of 24 bits (three bytes) and feeds in up to four digits at a time (58^4 < 2^24), so a
// step's value stays below 2^24 × 2^24 + 2^24 < 2^53 and float arithmetic is exact: a 64-byte signature takes about
// 500 steps where a byte and a digit at a time took about 2,800 (7 µs of every verification).
const DECODE_LIMB = 2 ** 24;
const DECODE_DIGITS = 4;
let decodeLimbs = new Float64Array(32);

/** Decodes base58btc text; throws on a character outside the alphabet. */
export function decodeBase58btc(input: string): Uint8Array {
  let zeros = 0;
  while (zeros < input.length && input.charCodeAt(zeros) === ONE) zeros += 1;
  // 58 < 2^6, so each character adds under 6 bits; limbs are least significant first.
  const most = Math.ceil(((input.length - zeros) * 6) / 24) + 1;
  if (decodeLimbs.length < most) decodeLimbs = new Float64Array(most);
  const limbs = decodeLimbs;
  let size = 0;
  for (let i = zeros; i < input.length; ) {
    let value = 0;
    let scale = 1;
    for (let k = 0; k < DECODE_DIGITS && i < input.length; k += 1, i += 1) {
      const code = input.charCodeAt(i);
      const digit = code < 128 ? DIGIT_BY_CODE[code]! : -1;
      if (digit < 0) throw new Error(`Not base58btc: unexpected character ${JSON.stringify(input[i])}.`);
      value = value * 58 + digit;
      scale *= 58;
    }
    let carry = value;
    for (let j = 0; j < size; j += 1) {
      const step = limbs[j]! * scale + carry;
      carry = Math.floor(step / DECODE_LIMB);
      limbs[j] = step - carry * DECODE_LIMB;
    }
    while (carry > 0) {
      const next = Math.floor(carry / DECODE_LIMB);
      limbs[size] = carry - next * DECODE_LIMB;
      size += 1;
      carry = next;
    }
  }
  // Three bytes a limb, most significant first, without the top limb's leading zero bytes.
  let top = size > 0 ? limbs[size - 1]! : 0;
  const topBytes = top >= 65_536 ? 3 : top >= 256 ? 2 : top > 0 ? 1 : 0;
  const result = new Uint8Array(zeros + (size > 0 ? (size - 1) * 3 + topBytes : 0));
  let at = zeros;
  for (let b = topBytes - 1; b >= 0; b -= 1) result[at++] = Math.floor(top / 2 ** (8 * b)) & 0xff;
  for (let j = size - 2; j >= 0; j -= 1) {
    top = limbs[j]!;
    result[at++] = top >>> 16;
    result[at++] = (top >>> 8) & 0xff;
    result[at++] = top & 0xff;
  }
  return result;
}
