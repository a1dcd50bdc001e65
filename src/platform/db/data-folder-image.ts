import { MemoryFS, type PGlite } from '@electric-sql/pglite';

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

/** A file or folder of emscripten's in-memory file system: its bytes, and the operations its open streams use. */
interface MemoryFileNode {
  contents: Uint8Array | null;
  usedBytes: number;
  stream_ops: { write(stream: { node: MemoryFileNode }, ...rest: unknown[]): number };
  node_ops: { mknod(parent: MemoryFileNode, name: string, mode: number, dev: number): MemoryFileNode };
}

/** The emscripten file system calls used here (PGlite does not export their types). */
interface EmscriptenFs {
  analyzePath(path: string): { exists: boolean };
  mkdirTree(path: string): void;
  lookupPath(path: string): { node: MemoryFileNode };
  createDataFile(...args: unknown[]): void;
  lookupNode(parent: MemoryFileNode, name: string): MemoryFileNode;
}

// The modes `FS.mkdir` and `FS.writeFile` give what they make (S_IFDIR | 0777, S_IFREG | 0666).
const FOLDER_MODE = 0o40777;
const FILE_MODE = 0o100666;

class PreloadedMemoryFS extends MemoryFS {
  // `bytes` are the image's own, shared by every database it starts: never written to.
  constructor(
    private readonly entries: readonly TarEntry[],
    private readonly bytes: Uint8Array,
  ) {
    super();
  }

  override async init(pg: PGlite, options: Parameters<MemoryFS['init']>[1]) {
    const { emscriptenOpts } = await super.init(pg, options);
    // Runs before the step that writes PGlite's installed files, which emscripten adds after these.
    const preRun = [...(emscriptenOpts.preRun ?? []), writeInstallFilesOnNodes];
    return { emscriptenOpts: { ...emscriptenOpts, preRun } };
  }

  // PGlite calls this once its file system is up and before it looks for a data folder; finding one, it starts
  // PostgreSQL on it as on any existing data folder.
  override async initialSyncFs(): Promise<void> {
    const module = this.pg?.Module as { FS: EmscriptenFs; ENV?: Record<string, string> } | undefined;
    const dataFolder = module?.ENV?.PGDATA;
    if (!module || !dataFolder) throw new Error('PGlite did not say where its data folder is');
    const fs = module.FS;
    if (!fs.analyzePath(dataFolder).exists) fs.mkdirTree(dataFolder);
    // Each folder and file is made on its parent's node, as `FS.mkdir` and `FS.writeFile` end up doing once they
    // have found the parent by its path: looking every parent up by path again, and opening and writing each file
    // through a stream, cost six times the CPU (0.058 against 0.009 s a start) and 9 MB more garbage.
    const folders = new Map<string, MemoryFileNode>([['', fs.lookupPath(dataFolder).node]]);
    const folderAt = (path: string): MemoryFileNode => {
      let node = folders.get(path);
      if (node) return node;
      const cut = path.lastIndexOf('/');
      const parent = folderAt(cut < 0 ? '' : path.slice(0, cut));
      const name = path.slice(cut + 1);
      node = childOf(fs, parent, name) ?? parent.node_ops.mknod(parent, name, FOLDER_MODE, 0);
      folders.set(path, node);
      return node;
    };
    for (const entry of this.entries) {
      if (entry.isFolder) {
        folderAt(entry.path);
        continue;
      }
      const cut = entry.path.lastIndexOf('/');
      const parent = folderAt(cut < 0 ? '' : entry.path.slice(0, cut));
      const node = parent.node_ops.mknod(parent, entry.path.slice(cut + 1), FILE_MODE, 0);
      if (entry.size === 0) continue;
      // The file starts as its slice of the shared image (no copy), as a write that may keep its buffer leaves it;
      // see `copiedOnWrite`.
      node.contents = this.bytes.subarray(entry.start, entry.start + entry.size);
      node.usedBytes = entry.size;
      copiedOnWrite(node, this.bytes.buffer);
    }
  }
}

/**
 * Has PGlite's installed files (699 of them, see `pglite-install-files.ts`) written as the snapshot's are: on their
 * folder's node, found once per folder, instead of by path and through a stream each, which cost about as much as
 * the snapshot's files did. Any other use of `FS_createDataFile` is left to emscripten's own.
 */
function writeInstallFilesOnNodes(module: object): void {
  const target = module as { FS: EmscriptenFs; FS_createDataFile: (...args: unknown[]) => void };
  const fs = target.FS;
  const folders = new Map<string, MemoryFileNode>();
  target.FS_createDataFile = (path, name, data, canRead, canWrite, canOwn) => {
    if (typeof path !== 'string' || name !== null || !(data instanceof Uint8Array) || !canOwn) {
      fs.createDataFile(path, name, data, canRead, canWrite, canOwn);
      return;
    }
    const cut = path.lastIndexOf('/');
    const folderPath = path.slice(0, cut);
    let folder = folders.get(folderPath);
    if (!folder) {
      folder = fs.lookupPath(folderPath).node;
      folders.set(folderPath, folder);
    }
    // emscripten's mode for a file made readable and writable (S_IFREG | 0444 | 0222), as the bundle's all are.
    const mode = 0o100000 | (canRead ? 0o444 : 0) | (canWrite ? 0o222 : 0);
    const node = folder.node_ops.mknod(folder, path.slice(cut + 1), mode, 0);
    if (data.byteLength === 0) return;
    // Owned, as emscripten's own write would leave it: the bytes are this database's copy of the bundle.
    node.contents = data;
    node.usedBytes = data.byteLength;
  };
}

/** The entry `name` of the folder `parent`, if there is one. */
function childOf(fs: EmscriptenFs, parent: MemoryFileNode, name: string): MemoryFileNode | undefined {
  try {
    return fs.lookupNode(parent, name);
  } catch (error) {
    // emscripten says "no such entry" only by throwing (ENOENT); a fresh data folder has none of the tarball's.
    if ((error as { errno?: unknown } | null)?.errno === EMSCRIPTEN_ENOENT) return undefined;
    throw error;
  }
}

// emscripten's errno numbers are WASI's, where ENOENT is 44.
const EMSCRIPTEN_ENOENT = 44;

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
