import { chmodSync, mkdirSync } from 'node:fs';

/**
 * Creates `path` (and missing parents) readable by this user only, and tightens it to 0700 when it already
 * exists: the data folder holds the embedded database's files and the generated secret, which no other account on
 * the machine may read.
 */
export function ensurePrivateFolder(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
}
