/**
 * Runs a fetched batch of jobs, `parallel` at a time. Every job runs even when one fails; the first failure is
 * then thrown, which makes pg-boss retry the whole batch, so handlers of batched queues must be safe to run twice.
 */
export async function runBatch<J>(
  jobs: readonly J[],
  parallel: number,
  run: (job: J) => Promise<void>,
): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      await run(job).catch((error: unknown) => failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(parallel, 1), jobs.length) }, lane));
  if (failures.length > 0) throw failures[0];
}
