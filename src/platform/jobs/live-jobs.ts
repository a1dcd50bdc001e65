import { type Expression, sql } from 'kysely';

/** The schema pg-boss keeps its tables in, in the app's own database. */
export const JOB_SCHEMA = 'pgboss';

/** Which of a job's fields names the work it stands for: its singleton key, or a field of its payload. */
export type JobKey = { singletonKey: true } | { dataField: string };

/**
 * SQL that is true while a job of one of `queues` for `key` can still run: waiting, waiting for a retry, or taken
 * up by a worker within the last `activeWithinSeconds`. A job taken up longer ago than that, whose work shows no
 * sign of life, has lost its worker (pg-boss itself notices only at its expiry, a quarter of an hour later). For
 * watches that look for work nothing will ever pick up; the caller's own rows say whether the work is done.
 * Written as a plain `exists`, so `not` it at the top of a WHERE clause becomes an anti-join: one pass over the
 * queue's jobs however many rows are looked at.
 */
export function hasLiveJob(
  queues: readonly string[],
  jobKey: JobKey,
  key: Expression<string>,
  activeWithinSeconds: number,
) {
  const keyOfJob = 'singletonKey' in jobKey ? sql`j.singleton_key` : sql`j.data ->> ${jobKey.dataField}`;
  return sql<boolean>`exists (
    select 1 from ${sql.table(`${JOB_SCHEMA}.job`)} j
    where j.name in (${sql.join(queues)}) and ${keyOfJob} = ${key}
      and (j.state in ('created', 'retry')
        or (j.state = 'active' and j.started_on > now() - make_interval(secs => ${activeWithinSeconds}))))`;
}
