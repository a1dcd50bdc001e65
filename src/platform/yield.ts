/**
 * Lets I/O callbacks already queued (requests waiting on this process) run before the next piece of long
 * synchronous work. Background work that builds or writes many things at once calls it between pieces, so a
 * page asked for meanwhile waits for one piece, not for the whole batch.
 */
export const yieldToOtherWork = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
