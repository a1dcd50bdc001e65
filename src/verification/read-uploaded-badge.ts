import { extractFromPng, PngFormatError } from '../credentials/bake-png.ts';
import { extractFromSvg, SvgFormatError } from '../credentials/bake-svg.ts';
import type { PresentedBadge } from './verification-types.ts';

/** Uploads above this are refused before reading: a baked badge image is a few hundred kilobytes. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** Where a presented badge came from, as people would name it. */
export type BadgeSource = 'png' | 'svg' | 'json' | 'jwt' | 'link';

export type UploadReading =
  | { ok: true; source: BadgeSource; badge: PresentedBadge }
  | { ok: false; message: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const NOT_A_BADGE =
  'This is not a badge Stackable can read. Give a PNG or SVG image with a badge baked in, the badge JSON, or a VC-JWT.';

// Open Badges 2.0 bakes its assertion (JSON, a JWS, or the hosted URL) under names of its own.
const OB2_PNG_KEYWORD = 'openbadges';
const OB2_SVG_ELEMENT = 'openbadges:assertion';

const isPng = (bytes: Uint8Array) => PNG_SIGNATURE.every((byte, i) => bytes[i] === byte);

/** Baked text is JSON when it starts with `{`, otherwise a compact JWT. */
const bakedBadge = (text: string): PresentedBadge => ({
  kind: text.trimStart().startsWith('{') ? 'json' : 'jwt',
  text,
});

/**
 * Works out what a file or paste holds by its content, not its name: a PNG (by signature), an SVG, JSON
 * (`{`) or a VC-JWT (three base64url parts), and takes out a baked credential. Never throws.
 */
export function readUploadedBadge(bytes: Uint8Array): UploadReading {
  if (bytes.length === 0) return { ok: false, message: 'The file is empty.' };
  if (bytes.length > MAX_UPLOAD_BYTES) {
    return {
      ok: false,
      message: `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB, far more than any badge; it was not read.`,
    };
  }
  if (isPng(bytes)) {
    try {
      const baked = extractFromPng(bytes) ?? extractFromPng(bytes, OB2_PNG_KEYWORD);
      if (baked === null) {
        return {
          ok: false,
          message:
            'This PNG image has no badge baked into it. It may be a plain copy of the artwork; download the badge image again from where it was issued.',
        };
      }
      return { ok: true, source: 'png', badge: bakedBadge(baked) };
    } catch (error) {
      if (!(error instanceof PngFormatError)) throw error;
      return {
        ok: false,
        message: `This PNG image is damaged, so no badge could be read from it: ${error.message}`,
      };
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: NOT_A_BADGE };
  }
  return readPastedBadge(text);
}

/** The same detection for text someone pasted. */
export function readPastedBadge(raw: string): UploadReading {
  const text = raw.replace(/^\uFEFF/, '').trim();
  if (text === '') return { ok: false, message: 'Nothing was pasted.' };
  if (text.startsWith('<')) {
    if (!text.includes('<svg')) return { ok: false, message: NOT_A_BADGE };
    try {
      const baked = extractFromSvg(text) ?? extractFromSvg(text, OB2_SVG_ELEMENT);
      if (baked === null) {
        return {
          ok: false,
          message:
            'This SVG image has no badge baked into it. Download the badge image again from where it was issued.',
        };
      }
      return { ok: true, source: 'svg', badge: bakedBadge(baked) };
    } catch (error) {
      if (!(error instanceof SvgFormatError)) throw error;
      return { ok: false, message: `This SVG image could not be read: ${error.message}` };
    }
  }
  if (text.startsWith('{')) return { ok: true, source: 'json', badge: { kind: 'json', text } };
  if (JWT_SHAPE.test(text)) return { ok: true, source: 'jwt', badge: { kind: 'jwt', text } };
  return { ok: false, message: NOT_A_BADGE };
}
