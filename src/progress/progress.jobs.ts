import { z } from 'zod';
import type { JobDefinition } from '../platform/jobs/queue.ts';

/** Works out a program's stored progress again after its rule changed (one job per program). */
export const refreshProgramProgressJob: JobDefinition<{ programId: string }> = {
  name: 'progress-refresh-program',
  payload: z.object({ programId: z.string().uuid() }),
};

/**
 * Works out again every stored verdict that no longer answers for today. Verdicts depend on the day (grades
 * count from their term's end, time limits run out, a learner with no recent work stalls), so this runs just
 * after midnight UTC, the day the evaluation uses; readers work out live whatever it has not reached yet.
 */
export const refreshStaleProgressJob: JobDefinition<Record<string, never>> = {
  name: 'progress-refresh-stale',
  payload: z.object({}).strict(),
};

/** Minutes past midnight UTC, when the day's verdicts are worked out. */
export const refreshStaleCron = '5 0 * * *';
