import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, link, open, stat, unlink } from 'node:fs/promises';
import { pipeline as pipelineStages, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import { AppError } from '../../errors.ts';
import { decryptingStream, encryptingStream } from './archive-cipher.ts';
import {
  type ArchiveRecord,
  type ArchiveTrailer,
  decodeRecord,
  encodeRecord,
  sealRecords,
  unreadableArchive,
} from './archive-format.ts';

/** What a finished backup file holds. */
export interface WrittenArchive {
  path: string;
  bytes: number;
  trailer: ArchiveTrailer;
}

/**
 * Writes the records to `path` as a gzip'd archive with its trailer, encrypted under `secret` (see
 * archive-cipher.ts) and readable by this account only (0600: the file holds the sealed signing keys, password
 * hashes and API secrets). It is written beside `path` under another
 * name and linked into place only when complete and flushed to disk, so a backup that fails half-way never leaves
 * a file that looks like one, and an existing file is never overwritten.
 */
export async function writeArchive(
  path: string,
  records: AsyncIterable<ArchiveRecord>,
  secret: string,
): Promise<WrittenArchive> {
  if (await exists(path))
    throw new AppError('CONFLICT', `${path} already exists; give the backup a new name.`);
  const partial = `${path}.${randomBytes(4).toString('hex')}.partial`;
  let trailer: ArchiveTrailer | undefined;
  try {
    async function* lines() {
      for await (const record of sealRecords(records)) {
        if (record.kind === 'trailer') trailer = record.trailer;
        yield encodeRecord(record);
      }
    }
    const file = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
    await pipeline(Readable.from(lines()), createGzip(), encryptingStream(secret), file);
    await chmod(partial, 0o600); // whatever the umask said
    await flushToDisk(partial);
    if (!trailer) throw new Error('The archive was written without its trailer.');
    await link(partial, path);
    return { path, bytes: (await stat(path)).size, trailer };
  } finally {
    await unlink(partial).catch(() => undefined);
  }
}

/** fsync: the backup is on disk, not only in the page cache, before it gets its name. */
async function flushToDisk(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Reads an archive back, one record at a time, decrypting it with `secret`. The checksum covers the file's own bytes: the trailer is yielded
 * only when it matches, and a file that ends before its trailer, or goes on after it, is refused. A consumer
 * that commits only after the trailer therefore never commits a damaged or shortened file.
 */
export async function* readArchive(path: string, secret: string): AsyncGenerator<ArchiveRecord> {
  const gunzip = createGunzip();
  const decrypt = decryptingStream(secret);
  const source = createReadStream(path);
  // pipeline destroys every stage when one fails and passes the error to the last, whose reader below throws it.
  pipelineStages(source, decrypt, gunzip, () => undefined);
  const lines = textLines(gunzip);
  const hash = createHash('sha256');
  let line = 0;
  let trailer: ArchiveTrailer | undefined;
  try {
    try {
      for await (const text of lines) {
        line += 1;
        if (trailer) throw unreadableArchive(line, 'there is more after the trailer');
        const record = decodeRecord(text, line);
        if (record.kind === 'trailer') {
          if (record.trailer.sha256 !== hash.digest('hex')) {
            throw unreadableArchive(
              line,
              'the checksum does not match the content (the file was changed or damaged)',
            );
          }
          trailer = record.trailer;
          continue; // yielded after the end of the file is seen
        }
        hash.update(`${text}\n`);
        yield record;
      }
    } catch (error) {
      if (error instanceof AppError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
        throw new AppError('BAD_REQUEST', `Cannot read ${path}: ${code}.`, [{ field: 'file', reason: code }]);
      }
      if (code?.startsWith('Z_'))
        throw unreadableArchive(line + 1, 'the compressed data is damaged or not gzip');
      throw error;
    }
    if (!trailer) throw unreadableArchive(line, 'the file ends before its trailer (it was cut short)');
    yield { kind: 'trailer', trailer };
  } finally {
    // Also when the consumer stops early (a refused restore): the file is not left open.
    source.destroy();
    decrypt.destroy();
    gunzip.destroy();
  }
}

/** The text's lines, without their newlines (a last line without one too), decoded as UTF-8 across chunks. */
async function* textLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of chunks) {
    rest += decoder.write(chunk);
    let start = 0;
    for (let end = rest.indexOf('\n'); end >= 0; end = rest.indexOf('\n', start)) {
      yield rest.slice(start, end);
      start = end + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.end();
  if (rest !== '') yield rest;
}
