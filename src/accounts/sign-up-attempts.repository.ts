import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';

/** SQL for the per-address count of sign-up and verification mails (table sign_up_attempts). */
export class SignUpAttemptsRepository {
  /**
   * Counts one more mail for the address, starting a new window when the current one began before
   * `windowStartsAfter`; one statement, so processes counting at once each add theirs. Returns the count now.
   */
  async count(db: Db, addressKey: string, now: Date, windowStartsAfter: Date): Promise<number> {
    const row = await db
      .insertInto('sign_up_attempts')
      .values({ address_key: addressKey, attempts: 1, window_started_at: now })
      .onConflict((oc) =>
        oc.column('address_key').doUpdateSet({
          attempts: sql<number>`case when sign_up_attempts.window_started_at < ${windowStartsAfter}::timestamptz
            then 1 else sign_up_attempts.attempts + 1 end`,
          window_started_at: sql<Date>`case when sign_up_attempts.window_started_at < ${windowStartsAfter}::timestamptz
            then ${now}::timestamptz else sign_up_attempts.window_started_at end`,
        }),
      )
      .returning('attempts')
      .executeTakeFirstOrThrow();
    return row.attempts;
  }
}
