/** What pg-boss records of a job's retries (its `includeMetadata` fields). */
export interface RetryTiming {
  readonly retryCount: number;
  readonly retryLimit: number;
  /** Seconds. */
  readonly retryDelay: number;
  readonly retryBackoff: boolean;
}

/**
 * A retry's wake comes this long after the latest moment pg-boss may have put it at: its clock starts when the
 * failure is recorded, a moment after the handler threw.
 */
export const RETRY_WAKE_MARGIN_MS = 500;

/**
 * When to wake a failed job's worker so its retry runs on time, in milliseconds from the failure; undefined when
 * the job has no retry left. pg-boss 10 (`failJobs` in its plans.js) puts the retry `retryDelay` seconds ahead, or
 * with backoff at a random point from half of `retryDelay · 2^n` to all of it, n being the retries so far plus one,
 * capped at 16; it announces nothing, so the latest of those moments is the one to wake at.
 */
export function retryWakeAfterMs(job: RetryTiming): number | undefined {
  if (job.retryCount >= job.retryLimit) return undefined;
  const seconds = job.retryBackoff ? job.retryDelay * 2 ** Math.min(16, job.retryCount + 1) : job.retryDelay;
  return seconds * 1000 + RETRY_WAKE_MARGIN_MS;
}
