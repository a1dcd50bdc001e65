/**
 * Baking an Open Badges 3.0 credential into a PNG: the credential travels inside the image as one
 * uncompressed iTXt chunk with the keyword `openbadgecredential`, placed just before IEND.
 */
import { inflateSync } from 'node:zlib';
import { computeCrc32 } from './bake-crc32.ts';

/** Thrown when bytes are not a well-formed PNG, or its badge chunk cannot be read. */
export class PngFormatError extends Error {
  override name = 'PngFormatError';
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const KEYWORD = 'openbadgecredential';
/** The PNG spec caps chunk lengths at 2^31 - 1 bytes. */
const MAX_CHUNK_LENGTH = 0x7fffffff;
/** Upper bound for a compressed credential written by another tool; stops decompression bombs. */
const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

interface PngChunk {
  type: string;
  /** Offset of the chunk's length field. */
  start: number;
  dataStart: number;
  dataEnd: number;
  /** Offset just past the CRC. */
  end: number;
}

/**
 * Returns a copy of `png` carrying `credential` (a compact JWT, or the JSON of a credential with an
 * embedded proof). Any credential already baked in is replaced, since an image holds only one.
 * Throws PngFormatError if `png` is not a valid PNG.
 */
export function bakePng(png: Uint8Array, credential: string, keyword = KEYWORD): Uint8Array {
  const chunks = readChunks(png);
  const kept = chunks.filter((chunk) => !isBadgeChunk(png, chunk, keyword));
  const badge = buildChunk('iTXt', buildBadgeText(credential, keyword));

  const parts: Uint8Array[] = [png.subarray(0, SIGNATURE.length)];
  for (const chunk of kept) {
    if (chunk.type === 'IEND') parts.push(badge);
    parts.push(png.subarray(chunk.start, chunk.end));
  }
  return concatBytes(parts);
}

/**
 * Reads the credential baked into `png`, or null when the image has none. Throws PngFormatError if
 * `png` is not a valid PNG (bad signature, truncated or oversized chunk, CRC mismatch). `keyword` is
 * `openbadges` for an Open Badges 2.0 assertion, which is baked the same way under another keyword.
 */
export function extractFromPng(png: Uint8Array, keyword = KEYWORD): string | null {
  for (const chunk of readChunks(png)) {
    if (isBadgeChunk(png, chunk, keyword)) {
      return readBadgeText(png.subarray(chunk.dataStart, chunk.dataEnd), keyword);
    }
  }
  return null;
}

/** Walks every chunk up to IEND, checking the signature, lengths, chunk types and CRCs. */
function readChunks(png: Uint8Array): PngChunk[] {
  if (png.length < SIGNATURE.length || SIGNATURE.some((byte, i) => png[i] !== byte)) {
    throw new PngFormatError('Not a PNG image: the file does not start with the PNG signature');
  }
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: PngChunk[] = [];
  let offset = SIGNATURE.length;
  while (true) {
    if (offset + 12 > png.length) {
      throw new PngFormatError('PNG is truncated: it ends before the IEND chunk');
    }
    const length = view.getUint32(offset);
    const type = readChunkType(png, offset + 4);
    if (length > MAX_CHUNK_LENGTH || offset + 12 + length > png.length) {
      throw new PngFormatError(
        `PNG chunk ${type} at byte ${offset} claims ${length} bytes, more than the file holds`,
      );
    }
    const dataStart = offset + 8;
    const dataEnd = dataStart + length;
    const storedCrc = view.getUint32(dataEnd);
    if (computeCrc32(png, offset + 4, dataEnd) !== storedCrc) {
      throw new PngFormatError(`PNG chunk ${type} at byte ${offset} is corrupt: its CRC does not match`);
    }
    if (chunks.length === 0 && type !== 'IHDR') {
      throw new PngFormatError('PNG is malformed: the first chunk must be IHDR');
    }
    chunks.push({ type, start: offset, dataStart, dataEnd, end: dataEnd + 4 });
    if (type === 'IEND') return chunks;
    offset = dataEnd + 4;
  }
}

function readChunkType(png: Uint8Array, at: number): string {
  let type = '';
  for (let i = at; i < at + 4; i += 1) {
    const byte = png[i]!;
    const isLetter = (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
    if (!isLetter) throw new PngFormatError(`PNG is malformed: invalid chunk type at byte ${at - 4}`);
    type += String.fromCharCode(byte);
  }
  return type;
}

function isBadgeChunk(png: Uint8Array, chunk: PngChunk, keyword = KEYWORD): boolean {
  if (chunk.type !== 'iTXt' || chunk.dataEnd - chunk.dataStart <= keyword.length) return false;
  for (let i = 0; i < keyword.length; i += 1) {
    if (png[chunk.dataStart + i] !== keyword.charCodeAt(i)) return false;
  }
  return png[chunk.dataStart + keyword.length] === 0;
}

/**
 * iTXt layout: keyword, NUL, compression flag, compression method, language tag, NUL, translated
 * keyword, NUL, then UTF-8 text. The tags stay empty and the text uncompressed, as Open Badges asks.
 */
function buildBadgeText(credential: string, keyword: string): Uint8Array {
  const text = new TextEncoder().encode(credential);
  const header = new Uint8Array(keyword.length + 5);
  for (let i = 0; i < keyword.length; i += 1) header[i] = keyword.charCodeAt(i);
  // The remaining header bytes are already zero: NUL, flag 0, method 0, empty language, empty keyword.
  if (header.length + text.length > MAX_CHUNK_LENGTH) {
    throw new RangeError('Credential is too large to bake into a PNG chunk');
  }
  return concatBytes([header, text]);
}

function readBadgeText(data: Uint8Array, keyword: string): string {
  let at = keyword.length + 1;
  const compressed = data[at];
  const method = data[at + 1];
  at += 2;
  const languageEnd = data.indexOf(0, at);
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
  if (compressed === undefined || method === undefined || translatedEnd < 0) {
    throw new PngFormatError('PNG badge chunk is malformed: its iTXt header is incomplete');
  }
  let text = data.subarray(translatedEnd + 1);
  if (compressed === 1) {
    if (method !== 0) throw new PngFormatError('PNG badge chunk uses an unknown compression method');
    try {
      text = inflateSync(text, { maxOutputLength: MAX_INFLATED_BYTES });
    } catch (error) {
      throw new PngFormatError('PNG badge chunk is compressed but cannot be inflated', { cause: error });
    }
  } else if (compressed !== 0) {
    throw new PngFormatError('PNG badge chunk has an invalid compression flag');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(text);
  } catch (error) {
    throw new PngFormatError('PNG badge chunk text is not valid UTF-8', { cause: error });
  }
}

function buildChunk(type: string, data: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(data.length + 12);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i += 1) chunk[4 + i] = type.charCodeAt(i);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, computeCrc32(chunk, 4, 8 + data.length));
  return chunk;
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
