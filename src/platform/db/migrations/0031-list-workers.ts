import { type Kysely, sql } from 'kysely';

/**
 * A tracking list is held by one worker at a time (issue 15): `worker_id` names the run that took it up. A run
 * takes a list only when nobody holds it or its holder has gone silent (heartbeat_at), and checks that it still
 * holds it before every chunk; the stall watch lets go of a silent holder's claim before queuing the list again.
 * So two processes may each work a list of their own, and a list is never worked by two at once. Lists running
 * when this is applied have no holder yet: a job for them takes them up as a stalled list is taken up.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tracking_lists add column worker_id uuid`.execute(db);
}
