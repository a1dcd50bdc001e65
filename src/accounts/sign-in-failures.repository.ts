import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';

/** SQL for the per-account count of failed sign-ins (table sign_in_failures). */
export class SignInFailuresRepository {
  find(db: Db, accountKey: string) {
    return db
      .selectFrom('sign_in_failures')
      .select(['failures', 'last_failed_at as lastFailedAt', 'locked_until as lockedUntil'])
      .where('account_key', '=', accountKey)
      .executeTakeFirst();
  }

  /**
   * Counts one more failure, starting again from one when the last was before `forgetBefore`; one statement, so
   * processes counting at the same moment each add theirs. Returns the count now.
   */
  async recordFailure(db: Db, accountKey: string, now: Date, forgetBefore: Date): Promise<number> {
    const row = await db
      .insertInto('sign_in_failures')
      .values({ account_key: accountKey, failures: 1, last_failed_at: now })
      .onConflict((oc) =>
        oc.column('account_key').doUpdateSet({
          failures: sql<number>`case when sign_in_failures.last_failed_at < ${forgetBefore}
            then 1 else sign_in_failures.failures + 1 end`,
          last_failed_at: now,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    return row.failures;
  }

  async lockUntil(db: Db, accountKey: string, until: Date): Promise<void> {
    await db
      .updateTable('sign_in_failures')
      .set({ locked_until: until })
      .where('account_key', '=', accountKey)
      .execute();
  }

  async clear(db: Db, accountKey: string): Promise<void> {
    await db.deleteFrom('sign_in_failures').where('account_key', '=', accountKey).execute();
  }
}
