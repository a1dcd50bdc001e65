import { gunzipSync, gzipSync } from 'node:zlib';
import { BoundedMap } from '../platform/bounded-map.ts';
import { toDateTime } from './build-credential.ts';
import type { StatusPurpose } from './credential-types.ts';
import { VC_V2_CONTEXT } from './local-contexts.ts';

/** The W3C spec's minimum list length (16 KB of bits), large enough to hide which entry is whose. */
export const DEFAULT_LIST_SIZE = 131072;

/**
 * How long a verifier may keep a list before fetching it again (the Bitstring Status List `ttl`, milliseconds),
 * and the HTTP max-age it is served with: a revocation reaches every verifier within five minutes.
 */
export const STATUS_LIST_TTL_MS = 5 * 60 * 1000;

export interface StatusListCredential {
  '@context': string[];
  id: string;
  type: ['VerifiableCredential', 'BitstringStatusListCredential'];
  issuer: string;
  validFrom: string;
  validUntil?: string;
  credentialSubject: {
    id: string;
    /** A plain string, not an array: verifiers such as verifier-core compare it as one. */
    type: 'BitstringStatusList';
    statusPurpose: StatusPurpose;
    encodedList: string;
    ttl: number;
  };
}

/** A list of `size` status bits, all clear (nothing revoked or suspended). */
export function createBitstring(size = DEFAULT_LIST_SIZE): Uint8Array {
  if (!Number.isSafeInteger(size) || size <= 0 || size % 8 !== 0) {
    throw new RangeError(`A status list size must be a positive multiple of 8, not ${size}.`);
  }
  return new Uint8Array(size / 8);
}

// Index 0 is the left-most (most significant) bit of the first byte, as the Bitstring spec orders them.
function locate(bits: Uint8Array, index: number): { byte: number; mask: number } {
  if (!Number.isSafeInteger(index) || index < 0 || index >= bits.length * 8) {
    throw new RangeError(`Status index ${index} is outside this list of ${bits.length * 8} entries.`);
  }
  return { byte: index >> 3, mask: 0x80 >> (index & 7) };
}

/** Sets (or, with `on` false, clears) one status bit in place. */
export function setBit(bits: Uint8Array, index: number, on = true): void {
  const { byte, mask } = locate(bits, index);
  const current = bits[byte] ?? 0;
  bits[byte] = on ? current | mask : current & ~mask;
}

/** Whether one status bit is set. */
export function getBit(bits: Uint8Array, index: number): boolean {
  const { byte, mask } = locate(bits, index);
  return ((bits[byte] ?? 0) & mask) !== 0;
}

/** The spec's `encodedList`: the bits GZIP-compressed, base64url-encoded without padding, prefixed by the multibase `u`. */
export function encodeList(bits: Uint8Array): string {
  return `u${gzipSync(bits).toString('base64url')}`;
}

// Every badge check decodes the same few lists again; their bits are kept (decodeList hands out a copy).
const KEEP_DECODED = 16;
const recentlyDecoded = new BoundedMap<string, Uint8Array>(KEEP_DECODED);

/**
 * The most bits a list may decompress to: 4 MB, 33.5 million entries, 256 times the spec's minimum. Another
 * issuer's list is fetched and decompressed when one of their badges is checked, and GZIP shrinks a run of zeros a
 * thousandfold, so without a limit a list of a few kilobytes could ask this process for gigabytes; with it, the
 * lists kept above hold 64 MB at the most.
 */
export const MAX_DECODED_LIST_BYTES = 4 * 1024 * 1024;

/** Reverses `encodeList`; throws a readable error when the text is not an encoded list. */
export function decodeList(encodedList: string): Uint8Array {
  return new Uint8Array(keptDecoding(encodedList));
}

/**
 * Whether the bit at `index` of an encoded list is set, or null when the list has no such position; throws as
 * decodeList does. Read from the kept decoding without copying the list (16 KB at the spec's minimum size), which
 * every verification of a badge did before reading its one bit.
 */
export function statusBitOf(encodedList: string, index: number): boolean | null {
  const bits = keptDecoding(encodedList);
  if (!Number.isSafeInteger(index) || index < 0 || index >= bits.length * 8) return null;
  return getBit(bits, index);
}

/** The decoded bits of a list, shared: never to be changed or handed out. */
function keptDecoding(encodedList: string): Uint8Array {
  const known = recentlyDecoded.get(encodedList);
  if (known) return known;
  if (!encodedList.startsWith('u')) {
    throw new Error('The status list is not multibase base64url encoded (it should start with "u").');
  }
  let bits: Uint8Array;
  try {
    const compressed = Buffer.from(encodedList.slice(1), 'base64url');
    bits = new Uint8Array(gunzipSync(compressed, { maxOutputLength: MAX_DECODED_LIST_BYTES }));
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Error(
        `The status list decompresses to more than ${MAX_DECODED_LIST_BYTES / (1024 * 1024)} MB, more than any ` +
          'list needs; it was not read.',
      );
    }
    throw new Error('The status list could not be decompressed; it is damaged or not GZIP data.');
  }
  recentlyDecoded.set(encodedList, bits);
  return bits;
}

/**
 * Picks an unused index at random, so a credential's position in the list says nothing about when it
 * was issued. Tries random draws first; a crowded list falls back to a scan from a random start.
 * `random` returns a number in [0, 1), like Math.random (tests pass a seeded one).
 */
export function pickRandomFreeIndex(
  used: ReadonlySet<number>,
  size: number = DEFAULT_LIST_SIZE,
  random: () => number = Math.random,
): number {
  if (used.size >= size) throw new Error(`The status list is full: all ${size} entries are in use.`);
  // Clamped, so a faulty random source can only make picks less random, never out of range.
  const draw = () => {
    const value = Math.floor(random() * size);
    return Number.isFinite(value) ? Math.min(size - 1, Math.max(0, value)) : 0;
  };
  for (let attempt = 0; attempt < 32; attempt++) {
    const candidate = draw();
    if (!used.has(candidate)) return candidate;
  }
  const start = draw();
  for (let step = 0; step < size; step++) {
    const candidate = (start + step) % size;
    if (!used.has(candidate)) return candidate;
  }
  throw new Error(`The status list is full: all ${size} entries are in use.`);
}

/** An unsigned BitstringStatusListCredential publishing one list. */
export function buildStatusListCredential(input: {
  id: string;
  issuer: string;
  purpose: StatusPurpose;
  encodedList: string;
  validFrom: Date;
  /** Optional; a short validity makes verifiers refetch the list instead of trusting a cached copy. */
  validUntil?: Date;
}): StatusListCredential {
  const credential: StatusListCredential = {
    '@context': [VC_V2_CONTEXT],
    id: input.id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuer,
    validFrom: toDateTime(input.validFrom),
    credentialSubject: {
      id: `${input.id}#list`,
      type: 'BitstringStatusList',
      statusPurpose: input.purpose,
      encodedList: input.encodedList,
      ttl: STATUS_LIST_TTL_MS,
    },
  };
  if (input.validUntil) credential.validUntil = toDateTime(input.validUntil);
  return credential;
}
