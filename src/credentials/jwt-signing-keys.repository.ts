import type { Db } from '../platform/db/database.ts';
import type { JwtSigningKeysTable } from './credentials.tables.ts';

type Algorithm = JwtSigningKeysTable['algorithm'];

/** SQL for the VC-JWT keys of the algorithms the Ed25519 issuer key cannot serve (ES256, RS256). */
export class JwtSigningKeysRepository {
  activeKey(db: Db, algorithm: Algorithm) {
    return db
      .selectFrom('jwt_signing_keys')
      .selectAll()
      .where('algorithm', '=', algorithm)
      .where('retired_at', 'is', null)
      .executeTakeFirst();
  }

  /** Every key, oldest first: retired ones stay published so the JWTs they signed keep verifying. */
  allKeys(db: Db) {
    return db.selectFrom('jwt_signing_keys').selectAll().orderBy('created_at').orderBy('key_id').execute();
  }

  async countKeys(db: Db, algorithm: Algorithm): Promise<number> {
    const row = await db
      .selectFrom('jwt_signing_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('algorithm', '=', algorithm)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Inserts a key; does nothing when another process made this algorithm's active key first (the one-active index). */
  async insertKey(
    db: Db,
    key: { id: string; algorithm: Algorithm; keyId: string; publicJwk: object; privateKeySealed: string },
  ): Promise<void> {
    await db
      .insertInto('jwt_signing_keys')
      .values({
        id: key.id,
        algorithm: key.algorithm,
        key_id: key.keyId,
        public_jwk: JSON.stringify(key.publicJwk),
        private_key_sealed: key.privateKeySealed,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async retireKey(db: Db, id: string, at: Date): Promise<void> {
    await db.updateTable('jwt_signing_keys').set({ retired_at: at }).where('id', '=', id).execute();
  }
}
