import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AppError } from './errors.ts';

/** How an upload is bounded and refused: each module words its own refusals ("The list was not uploaded: …"). */
export interface SpoolLimits {
  maxBytes: number;
  /** The whole-file refusal for `reason`, which finishes the module's own sentence. */
  refuse(reason: string, code?: 'VALIDATION_FAILED' | 'PAYLOAD_TOO_LARGE'): AppError;
}

export interface SpooledFile {
  path: string;
  sha256: string;
  bytes: number;
  /** Removes the temporary copy. */
  discard(): Promise<void>;
}

const startsWith = (chunk: Uint8Array, ...bytes: number[]) => bytes.every((b, i) => chunk[i] === b);

/** Names the kind of binary file a first chunk belongs to, for a message people recognise. */
function binaryKind(first: Uint8Array): string | null {
  if (startsWith(first, 0x89, 0x50, 0x4e, 0x47)) return 'a PNG image';
  if (startsWith(first, 0xff, 0xd8, 0xff)) return 'a JPEG image';
  if (startsWith(first, 0x25, 0x50, 0x44, 0x46)) return 'a PDF document';
  if (startsWith(first, 0x50, 0x4b, 0x03, 0x04)) return 'an Excel workbook or ZIP archive';
  if (startsWith(first, 0xd0, 0xcf, 0x11, 0xe0)) return 'an older Excel or Word file';
  return null;
}

/**
 * Copies an upload to a temporary file while checking that it is UTF-8 text (a byte-order mark is fine),
 * within the size limit, and computing its SHA-256. The import then reads the copy inside its transaction,
 * so a slow upload never holds a database transaction open, and a file that is not text is refused before
 * anything is written. Memory use stays at one chunk whatever the file's size.
 */
export async function spoolUpload(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  { maxBytes, refuse }: SpoolLimits,
): Promise<SpooledFile> {
  const dir = await mkdtemp(join(tmpdir(), 'stackable-import-'));
  const path = join(dir, 'upload.csv');
  const discard = () => rm(dir, { recursive: true, force: true });
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let line = 1;
  let sawText = false;

  async function* checked(chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>) {
    for await (const piece of chunks) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      if (chunk.length === 0) continue;
      if (bytes === 0) {
        const kind = binaryKind(chunk);
        if (kind) throw refuse(`it is ${kind}, not a CSV file`);
        if (startsWith(chunk, 0xff, 0xfe) || startsWith(chunk, 0xfe, 0xff)) {
          throw refuse('it is saved as UTF-16 text; save it again as "CSV UTF-8"');
        }
      }
      bytes += chunk.length;
      if (bytes > maxBytes) {
        throw refuse(`it is larger than ${maxBytes / 1024 / 1024} MB`, 'PAYLOAD_TOO_LARGE');
      }
      if (chunk.includes(0)) throw refuse('it contains binary data (zero bytes), not text');
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw refuse(
          `it is not UTF-8 text (an invalid byte sequence appears on line ${line + linesBeforeInvalid(chunk)}); save it again as "CSV UTF-8"`,
        );
      }
      if (!sawText && /[^\s\uFEFF]/.test(text)) sawText = true;
      line += countNewlines(chunk);
      hash.update(chunk);
      yield chunk;
    }
    try {
      decoder.decode();
    } catch {
      throw refuse(
        'it is not UTF-8 text (it ends in the middle of a character); save it again as "CSV UTF-8"',
      );
    }
  }

  try {
    await pipeline(source, checked, createWriteStream(path));
  } catch (error) {
    await discard();
    throw error;
  }
  if (!sawText) {
    await discard();
    throw refuse('it is empty');
  }
  return { path, sha256: hash.digest('hex'), bytes, discard };
}

function countNewlines(chunk: Uint8Array): number {
  let count = 0;
  for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) count++;
  return count;
}

/** Lines before the first invalid sequence of a chunk (the replacement character marks where it was). */
function linesBeforeInvalid(chunk: Uint8Array): number {
  const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
  const bad = text.indexOf('\uFFFD');
  return bad === -1 ? 0 : (text.slice(0, bad).match(/\n/g)?.length ?? 0);
}
