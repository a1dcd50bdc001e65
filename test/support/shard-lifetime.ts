/**
 * What lives as long as a test shard (scripts/test-shard.mjs) rather than one test file: a shard runs many files
 * one after another, so something costly to start and safe to share (a browser, whose contexts keep each file's
 * cookies and storage apart) can start once and end when the shard does.
 *
 * A file run on its own, outside a shard, has no shard to outlive it: `isInShard()` is false, and the caller
 * starts and ends its own.
 */
const endings: (() => Promise<void>)[] = [];
let inShard = false;

/** Called once by the shard before its first file. */
export function startShard(): void {
  inShard = true;
}

/** Whether this process is a shard that will call the endings given to `atShardEnd`. */
export function isInShard(): boolean {
  return inShard;
}

/** Runs `end` after the shard's last file. */
export function atShardEnd(end: () => Promise<void>): void {
  endings.push(end);
}

/** Called once by the shard after its last file: runs every ending, each even if one before it failed. */
export async function endShard(): Promise<void> {
  const results = await Promise.allSettled(endings.splice(0).map((end) => end()));
  for (const result of results) {
    if (result.status === 'rejected') console.error('ending the shard:', result.reason);
  }
}
