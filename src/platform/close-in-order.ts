/**
 * Closes the parts of something in order, each even if one before it failed, then throws the first failure. An app
 * whose HTTP server failed to close must still stop its job workers, signing threads and database: left running,
 * their timers and threads hold the process open with nothing said (a test shard, or a server being stopped).
 */
export async function closeInOrder(steps: readonly (() => unknown)[]): Promise<void> {
  let failure: { error: unknown } | undefined;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}
