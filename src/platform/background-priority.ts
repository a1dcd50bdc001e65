import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Niceness of a background thread (list signing, the job workers). Against a request thread at 0, Linux gives it
 * about a quarter of a contested core; 10 would give it a tenth, too little on a machine busy with other programs
 * (a CI runner, a shared host): there a list's first chunk once waited most of a minute.
 */
export const BACKGROUND_NICENESS = 5;

/**
 * Lowers the CPU priority of the calling thread only, so that background work on it gives way to the thread
 * answering requests on a machine with few cores (issue 15); when nothing else wants the cores it runs as fast as
 * before. Linux keeps a priority per thread, and renicing this thread's own id touches nothing else; elsewhere (no
 * /proc/thread-self) the thread keeps the process's priority.
 */
export function lowerThisThreadsPriority(niceness = BACKGROUND_NICENESS): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, niceness);
  } catch {
    // Not Linux, or not allowed: working at the process's priority is only less polite, never wrong.
  }
}
