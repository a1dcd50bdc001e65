import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what the last full collection kept, in percent. Left to itself on a machine
 * with memory to spare, V8 lets the old generation grow to several times what survived before it collects again:
 * issuing a 10,000-row list took the bench's process from 359–376 MB at the commit to 520–537 MB and still rising
 * (bench/bulk-issue.bench.ts), though what it holds after a full collection stays near 75 MB. At 60 % it stayed at
 * 314–364 MB from the first row to the last, for the same CPU a row (0.53 ms in both runs, against 0.46–0.64 ms
 * by default; at 30 %, 310–356 MB for 0.55–0.69 ms). Unlike a cap on the heap (`--max-old-space-size`), this never
 * ends a process that needs more: it only collects sooner. Memory that follows what the app holds is what lets an
 * operator size a server by its work rather than by its garbage.
 */
export const HEAP_GROWING_PERCENT = 60;

/**
 * The V8 flag to set at start, or null when whoever started Node chose the heap's size or growth themselves
 * (`--max-old-space-size`, `--heap-growing-percent`, and the like in the arguments or NODE_OPTIONS).
 */
export function heapFlagToSet(execArgv: readonly string[], nodeOptions: string | undefined): string | null {
  const chosen = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((argument) =>
    /^--(max-old-space-size|heap-growing-percent|max-heap-size|optimize-for-size)\b/.test(
      argument.replaceAll('_', '-'),
    ),
  );
  return chosen ? null : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/**
 * Keeps this process's heaps near what they hold (see HEAP_GROWING_PERCENT). V8 reads the setting at every full
 * collection, so it takes effect at once, for the main thread and for every worker thread (signing, jobs).
 */
export function keepHeapNearLiveSize(): void {
  const flag = heapFlagToSet(process.execArgv, process.env.NODE_OPTIONS);
  if (flag) setFlagsFromString(flag);
}
