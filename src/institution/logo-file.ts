/**
 * Checks an uploaded logo by what its bytes are, never by its name or the type the browser claimed: a PNG by its
 * signature and chunk structure, an SVG by being readable XML, rewritten by the sanitizer. What is stored is the
 * checked result, so the database never holds a file that was not looked at.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { sanitizeSvg } from './svg-sanitizer.ts';

/** Largest logo accepted, in bytes. */
export const MAX_LOGO_BYTES = 256 * 1024;
/** Smallest and largest side of a PNG logo, in pixels. */
export const PNG_SIDES = { min: 16, max: 4096 } as const;

export type LogoContentType = 'image/png' | 'image/svg+xml';

export interface AcceptedLogo {
  contentType: LogoContentType;
  content: Uint8Array;
  sha256: string;
  /** What the SVG sanitizer left out, for the administrator to see. */
  removed: string[];
}

export type LogoCheck = ({ ok: true } & AcceptedLogo) | { ok: false; problem: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// Text and camera metadata can carry anything (names, locations, baked data); a logo needs none of it.
const DROPPED_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf']);

const accepted = (contentType: LogoContentType, content: Uint8Array, removed: string[] = []): LogoCheck => ({
  ok: true,
  contentType,
  content,
  sha256: createHash('sha256').update(content).digest('hex'),
  removed,
});

/** Reads a PNG chunk by chunk; returns it without metadata chunks, or why it is not a PNG we accept. */
function checkPng(bytes: Buffer): LogoCheck {
  const kept: Buffer[] = [PNG_SIGNATURE];
  let at = PNG_SIGNATURE.length;
  let sawHeader = false;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const end = at + 12 + length;
    if (!/^[A-Za-z]{4}$/.test(type) || end > bytes.length)
      return { ok: false, problem: 'is a damaged PNG file' };
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== bytes.readUInt32BE(at + 8 + length)) {
      return { ok: false, problem: 'is a damaged PNG file (a checksum does not match)' };
    }
    if (!sawHeader) {
      if (type !== 'IHDR' || length !== 13)
        return { ok: false, problem: 'is a damaged PNG file (no header)' };
      const width = bytes.readUInt32BE(at + 8);
      const height = bytes.readUInt32BE(at + 12);
      const { min, max } = PNG_SIDES;
      if (width < min || height < min || width > max || height > max) {
        return {
          ok: false,
          problem: `is ${width} × ${height} pixels; each side must be between ${min} and ${max} pixels`,
        };
      }
      sawHeader = true;
    }
    if (!DROPPED_CHUNKS.has(type)) kept.push(bytes.subarray(at, end));
    at = end;
    if (type === 'IEND') {
      if (at !== bytes.length) return { ok: false, problem: 'has data after the end of the PNG image' };
      return accepted('image/png', new Uint8Array(Buffer.concat(kept)));
    }
  }
  return { ok: false, problem: 'is a damaged PNG file (it ends too early)' };
}

/** Checks an uploaded logo and returns what to store, or the reason it is refused (as a field problem). */
export function checkLogo(content: Uint8Array, truncated = false): LogoCheck {
  if (truncated || content.byteLength > MAX_LOGO_BYTES) {
    return { ok: false, problem: `must be at most ${MAX_LOGO_BYTES / 1024} KB` };
  }
  if (content.byteLength === 0) return { ok: false, problem: 'is an empty file' };
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  if (bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return checkPng(bytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    // The decoder's only complaint is bytes that are not UTF-8: then this is neither a PNG nor an SVG.
    if (!(error instanceof TypeError)) throw error;
    return { ok: false, problem: 'must be a PNG or SVG image' };
  }
  if (!/^\uFEFF?\s*</.test(text)) return { ok: false, problem: 'must be a PNG or SVG image' };
  const sanitized = sanitizeSvg(text);
  if (!sanitized.ok) return { ok: false, problem: sanitized.problem };
  return accepted('image/svg+xml', new TextEncoder().encode(sanitized.svg), sanitized.removed);
}
