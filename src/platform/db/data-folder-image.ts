import { MemoryFS } from '@electric-sql/pglite';

/** One entry of an uncompressed tarball: a folder, or a file whose bytes sit at `start` for `size` bytes. */
interface TarEntry {
  readonly path: string;
  readonly isFolder: boolean;
  readonly start: number;
  readonly size: number;
}

// Tar headers are 512-byte blocks (POSIX ustar): the fields below are where that format puts them.
const BLOCK = 512;
const FOLDER_TYPE = '5'.charCodeAt(0);
const FILE_TYPES = new Set([0, '0'.charCodeAt(0)]);

/**
 * A PGlite data folder as an uncompressed tarball (what `dumpDataDir('none')` writes) held in memory, that can start
 * any number of in-memory databases.
 *
 * It is a Blob, so PGlite's own `loadDataDir` takes it (for a database on disk); handing it the bytes is a plain
 * copy, where Node's Blob would stream them through in small chunks (over a second of CPU for 40 MB). For an
 * in-memory database `memoryFilesystem()` does better than `loadDataDir`: the tarball is read once, each folder is
 * made once, and every file starts as its slice of the image's own bytes, copied only when the database first
 * writes to it. PGlite's loader looks up every parent folder of every file and copies each file again, which was
 * most of the CPU a test spent starting a database (about a quarter of a second each, for several hundred databases
 * per test run); copying the whole image for each start was most of what remained, although a test database
 * writes to a handful of its files.
 */
export class DataFolderImage extends Blob {
  readonly #bytes: Uint8Array;
  #entries: readonly TarEntry[] | undefined;

  constructor(bytes: Uint8Array) {
    super([], { type: 'application/x-tar' });
    // A plain view even of a Buffer (what readFileSync gives): a Buffer's slice() shares its memory, where the file
    // system's copy before a first write (`copiedOnWrite`) needs a copy.
    this.#bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  override get size(): number {
    return this.#bytes.byteLength;
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    return this.#copy().buffer;
  }

  /** A new in-memory filesystem for `PGlite.create({ fs })` that starts holding this data folder. */
  memoryFilesystem(): MemoryFS {
    this.#entries ??= readTarEntries(this.#bytes);
    return new PreloadedMemoryFS(this.#entries, this.#bytes);
  }

  #copy(): Uint8Array<ArrayBuffer> {
    const copy = new Uint8Array(this.#bytes.byteLength);
    copy.set(this.#bytes);
    return copy;
  }
}

/** A file of emscripten's in-memory file system: its bytes, and the operations its open streams use. */
interface MemoryFileNode {
  contents: Uint8Array | null;
  stream_ops: { write(stream: { node: MemoryFileNode }, ...rest: unknown[]): number };
}

/** The emscripten file system calls used here (PGlite does not export their types). */
interface EmscriptenFs {
  analyzePath(path: string): { exists: boolean };
  mkdir(path: string): void;
  writeFile(path: string, data: Uint8Array, options: { canOwn: boolean }): void;
  lookupPath(path: string): { node: MemoryFileNode };
}

class PreloadedMemoryFS extends MemoryFS {
  // `bytes` are the image's own, shared by every database it starts: never written to.
  constructor(
    private readonly entries: readonly TarEntry[],
    private readonly bytes: Uint8Array,
  ) {
    super();
  }

  // PGlite calls this once its file system is up and before it looks for a data folder; finding one, it starts
  // PostgreSQL on it as on any existing data folder.
  override async initialSyncFs(): Promise<void> {
    const module = this.pg?.Module as { FS: EmscriptenFs; ENV?: Record<string, string> } | undefined;
    const dataFolder = module?.ENV?.PGDATA;
    if (!module || !dataFolder) throw new Error('PGlite did not say where its data folder is');
    const fs = module.FS;
    const made = new Set<string>();
    const makeFolder = (path: string): void => {
      if (made.has(path)) return;
      const parent = path.slice(0, path.lastIndexOf('/'));
      if (parent) makeFolder(parent);
      if (!fs.analyzePath(path).exists) fs.mkdir(path);
      made.add(path);
    };
    for (const entry of this.entries) {
      const path = `${dataFolder}/${entry.path}`;
      if (entry.isFolder) {
        makeFolder(path);
        continue;
      }
      makeFolder(path.slice(0, path.lastIndexOf('/')));
      // The file starts as its slice of the shared image (no copy); see `copiedOnWrite`.
      fs.writeFile(path, this.bytes.subarray(entry.start, entry.start + entry.size), { canOwn: true });
      copiedOnWrite(fs.lookupPath(path).node, this.bytes.buffer);
    }
  }
}

/**
 * Makes a file whose bytes are a slice of `shared` take a copy of its own before its first write. The in-memory
 * file system writes inside a file's current length in place (only a write past the end moves the file to new
 * storage, and a truncation always does), so without this one database's write would reach the image and every
 * database started from it afterwards. Only this node's operations change: files PostgreSQL creates are unaffected.
 */
function copiedOnWrite(node: MemoryFileNode, shared: ArrayBufferLike): void {
  const operations = node.stream_ops;
  node.stream_ops = {
    ...operations,
    write(stream, ...rest) {
      const contents = stream.node.contents;
      if (contents && contents.buffer === shared) stream.node.contents = contents.slice();
      return operations.write(stream, ...rest);
    },
  };
}

/** The folders and files of an uncompressed ustar tarball, in order, with paths relative to its root. */
export function readTarEntries(bytes: Uint8Array): TarEntry[] {
  const decoder = new TextDecoder();
  const text = (header: Uint8Array, offset: number, length: number): string => {
    const field = header.subarray(offset, offset + length);
    const end = field.indexOf(0);
    return decoder.decode(end < 0 ? field : field.subarray(0, end));
  };
  const entries: TarEntry[] = [];
  for (let at = 0; at + BLOCK <= bytes.byteLength; ) {
    const header = bytes.subarray(at, at + BLOCK);
    // Two zero blocks end the archive; the first is enough to stop.
    if (header[0] === 0) break;
    const prefix = text(header, 345, 155);
    const name = text(header, 0, 100);
    const size = Number.parseInt(text(header, 124, 12).trim() || '0', 8);
    const path = (prefix ? `${prefix}/${name}` : name).replace(/^\/+|\/+$/g, '');
    const type = header[156] ?? 0;
    // Like PGlite's own loader, only folders and plain files: a data folder holds nothing else.
    if (path && (type === FOLDER_TYPE || FILE_TYPES.has(type))) {
      entries.push({ path, isFolder: type === FOLDER_TYPE, start: at + BLOCK, size });
    }
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}
