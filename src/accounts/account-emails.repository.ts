import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { normaliseEmail } from '../platform/email-address.ts';

/** SQL for the addresses an account holds besides its primary one, and their verification links (hashes only). */
export class AccountEmailsRepository {
  listOf(db: Db, userId: string) {
    return db
      .selectFrom('account_emails')
      .select(['id', 'email', 'verified_at', 'token_expires_at', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
  }

  findOf(db: Db, userId: string, id: string) {
    return db
      .selectFrom('account_emails')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  }

  findOwnedAddress(db: Db, userId: string, email: string) {
    return db
      .selectFrom('account_emails')
      .selectAll()
      .where('user_id', '=', userId)
      .where(sql`lower(email)`, '=', normaliseEmail(email))
      .executeTakeFirst();
  }

  /** The account that holds this address proven, as an extra address (the primary is `users.email`). */
  async verifiedOwnerOf(db: Db, email: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('account_emails')
      .select('user_id')
      .where(sql`lower(email)`, '=', normaliseEmail(email))
      .where('verified_at', 'is not', null)
      .executeTakeFirst();
    return row?.user_id;
  }

  /** Whether an account's primary address is this one (any account, proven or not). */
  async primaryOwnerOf(db: Db, email: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('users')
      .select('id')
      .where(sql`lower(email)`, '=', normaliseEmail(email))
      .executeTakeFirst();
    return row?.id;
  }

  async insert(
    db: Db,
    row: { id: string; userId: string; email: string; tokenHash: string; expiresAt: Date },
  ): Promise<void> {
    await db
      .insertInto('account_emails')
      .values({
        id: row.id,
        user_id: row.userId,
        email: row.email,
        token_hash: row.tokenHash,
        token_expires_at: row.expiresAt,
      })
      .execute();
  }

  /** A new link for an address still waiting for its proof; the old link stops working. */
  async replaceToken(db: Db, id: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await db
      .updateTable('account_emails')
      .set({ token_hash: tokenHash, token_expires_at: expiresAt })
      .where('id', '=', id)
      .where('verified_at', 'is', null)
      .execute();
  }

  findByToken(db: Db, tokenHash: string) {
    return db.selectFrom('account_emails').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  /**
   * Spends a live link and marks its address proven, in one statement, so a link works once; returns the row, or
   * nothing when the link is unknown, spent, expired or someone else's.
   */
  spendToken(db: Db, tokenHash: string, userId: string, now: Date) {
    return db
      .updateTable('account_emails')
      .set({ verified_at: now, token_hash: null, token_expires_at: null })
      .where('token_hash', '=', tokenHash)
      .where('user_id', '=', userId)
      .where('token_expires_at', '>', now)
      .returning(['id', 'email'])
      .executeTakeFirst();
  }

  /** Other accounts' unproven claims on an address are dropped once its owner proves it. */
  async dropUnprovenClaims(db: Db, email: string, exceptId: string): Promise<void> {
    await db
      .deleteFrom('account_emails')
      .where(sql`lower(email)`, '=', normaliseEmail(email))
      .where('verified_at', 'is', null)
      .where('id', '!=', exceptId)
      .execute();
  }

  async delete(db: Db, id: string): Promise<void> {
    await db.deleteFrom('account_emails').where('id', '=', id).execute();
  }

  /** Spends every live password-reset link of an account. */
  async spendResetLinksOf(db: Db, userId: string, now: Date): Promise<void> {
    await db
      .updateTable('account_tokens')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('purpose', '=', 'reset')
      .where('used_at', 'is', null)
      .execute();
  }

  /** Keeps the former primary address as an extra one (proven when it was). */
  async insertFormerPrimary(
    db: Db,
    row: { id: string; userId: string; email: string; verifiedAt: Date | null },
  ): Promise<void> {
    await db
      .insertInto('account_emails')
      .values({ id: row.id, user_id: row.userId, email: row.email, verified_at: row.verifiedAt })
      .execute();
  }

  /** Makes an address the account's primary one (the one mail goes to and pages show). */
  async setPrimary(db: Db, userId: string, email: string, verifiedAt: Date): Promise<void> {
    await db
      .updateTable('users')
      .set({ email, email_verified_at: verifiedAt })
      .where('id', '=', userId)
      .execute();
  }

  primaryOf(db: Db, userId: string) {
    return db
      .selectFrom('users')
      .select(['email', 'email_verified_at'])
      .where('id', '=', userId)
      .executeTakeFirst();
  }

  /** Locks the account's row, so two changes to its addresses never interleave. */
  lockUser(db: Db, userId: string) {
    return db
      .selectFrom('users')
      .select(['id', 'email', 'email_verified_at'])
      .where('id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
  }
}
