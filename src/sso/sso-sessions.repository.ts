import type { Selectable } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { SsoEmailProofsTable, SsoSessionsTable } from './sso.tables.ts';

export type SsoSessionRow = Selectable<SsoSessionsTable>;
export type EmailProofRow = Selectable<SsoEmailProofsTable>;

/** SQL for the sessions SAML providers opened and the one-time links that prove an address. */
export class SsoSessionsRepository {
  async insertSession(db: Db, row: Omit<SsoSessionRow, 'created_at'>): Promise<void> {
    await db.insertInto('sso_sessions').values(row).execute();
  }

  findSession(db: Db, sessionId: string): Promise<SsoSessionRow | undefined> {
    return db.selectFrom('sso_sessions').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
  }

  /** The sessions a provider opened for a NameID, narrowed to the named SessionIndexes when there are any. */
  findSessionsNamed(
    db: Db,
    providerId: string,
    nameId: string,
    sessionIndexes: readonly string[],
  ): Promise<SsoSessionRow[]> {
    let query = db
      .selectFrom('sso_sessions')
      .selectAll()
      .where('provider_id', '=', providerId)
      .where('name_id', '=', nameId);
    if (sessionIndexes.length > 0) query = query.where('session_index', 'in', [...sessionIndexes]);
    return query.execute();
  }

  async insertEmailProof(db: Db, row: Omit<EmailProofRow, 'used_at' | 'created_at'>): Promise<void> {
    await db.insertInto('sso_email_proofs').values(row).execute();
  }

  /** A live, unused link by its hash, or undefined. */
  findLiveEmailProof(db: Db, tokenHash: string, now: Date): Promise<EmailProofRow | undefined> {
    return db
      .selectFrom('sso_email_proofs')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  /** Marks a live link used; false when it was already used or has expired (two tabs racing, say). */
  async useEmailProof(db: Db, tokenHash: string, now: Date): Promise<boolean> {
    const result = await db
      .updateTable('sso_email_proofs')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async forgetOldEmailProofs(db: Db, before: Date): Promise<void> {
    await db.deleteFrom('sso_email_proofs').where('expires_at', '<', before).execute();
  }
}
