import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * PGlite's own installed files (`pglite.data`: time zones, text search dictionaries, extension scripts), which
 * PGlite reads from disk again at every start unless given them: 6 MB a database, about a tenth of an in-memory
 * database's start. A process that starts many (a test shard, a benchmark) reads them once here instead.
 *
 * Each database still gets a copy of its own: PGlite's file system keeps the bytes it is handed as the files' own
 * storage, so a shared buffer would carry one database's write to another.
 */
class InstallFiles extends Blob {
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    super([]);
    this.#bytes = bytes;
  }

  override get size(): number {
    return this.#bytes.byteLength;
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const copy = new Uint8Array(this.#bytes.byteLength);
    copy.set(this.#bytes);
    return copy.buffer;
  }
}

let installFiles: InstallFiles | undefined;

/** PGlite's installed files for `PGlite.create({ fsBundle })`, read from its package on the first call. */
export function pgliteInstallFiles(): Blob {
  if (!installFiles) {
    // The bundle sits beside the package's entry point, where PGlite itself looks for it.
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    installFiles = new InstallFiles(readFileSync(join(dirname(entry), 'pglite.data')));
  }
  return installFiles;
}
