import type { Db } from '../platform/db/database.ts';

/** SQL for the one-time tokens that open the first-run setup page. */
export class SetupTokensRepository {
  async insert(db: Db, token: { tokenHash: string; expiresAt: Date }): Promise<void> {
    await db
      .insertInto('setup_tokens')
      .values({ token_hash: token.tokenHash, expires_at: token.expiresAt })
      .execute();
  }

  /** The hashes of the tokens that can still be used (a handful at most: one per start without an admin). */
  async liveHashes(db: Db, now: Date): Promise<string[]> {
    const rows = await db
      .selectFrom('setup_tokens')
      .select('token_hash')
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .execute();
    return rows.map((r) => r.token_hash);
  }

  /** Marks a live token used; true when this call spent it (the update is the claim, so it works once). */
  async spend(db: Db, tokenHash: string, now: Date): Promise<boolean> {
    const row = await db
      .updateTable('setup_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('token_hash')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Once an administrator exists no setup token has any use left. */
  async spendAll(db: Db, now: Date): Promise<void> {
    await db.updateTable('setup_tokens').set({ used_at: now }).where('used_at', 'is', null).execute();
  }
}
