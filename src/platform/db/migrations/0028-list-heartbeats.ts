import { type Kysely, sql } from 'kysely';

/**
 * A tracking list's worker says it is alive (issue 15). `heartbeat_at` is written when a worker takes the list up
 * and after every chunk it issues; a running list whose heartbeat is old has lost its worker (a killed process, a
 * machine gone), and is resumed at once instead of when the queue's job expiry passes, a quarter of an hour later.
 * Lists running when this is applied have none yet and count as stalled, which is what they are after an upgrade.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table tracking_lists add column heartbeat_at timestamptz;
    create index tracking_lists_running_idx on tracking_lists (heartbeat_at) where status = 'running';
  `.execute(db);
}
