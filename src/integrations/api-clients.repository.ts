import type { ApiScope } from '../platform/api-scopes.ts';
import type { Db } from '../platform/db/database.ts';

/** How often a client's last use is written: often enough for people, rarely enough not to write on every call. */
const LAST_USED_GRANULARITY_MS = 60_000;

/** What the administrators' screen shows of a client: never its secret's digest. */
const shownColumns = [
  'id',
  'client_id',
  'name',
  'scopes',
  'created_at',
  'secret_rotated_at',
  'last_used_at',
  'revoked_at',
] as const;

/** SQL over API clients and their access tokens (the integrations module's own tables). */
export class ApiClientsRepository {
  listClients(db: Db) {
    return db
      .selectFrom('api_clients')
      .select(shownColumns)
      .orderBy('revoked_at', (ob) => ob.desc().nullsFirst())
      .orderBy('name')
      .execute();
  }

  findClient(db: Db, id: string) {
    return db.selectFrom('api_clients').select(shownColumns).where('id', '=', id).executeTakeFirst();
  }

  /** A client by the identifier it sends, with its secret's digest, for authenticating it. */
  findByClientId(db: Db, clientId: string) {
    return db
      .selectFrom('api_clients')
      .select(['id', 'client_id', 'name', 'scopes', 'secret_hash', 'revoked_at'])
      .where('client_id', '=', clientId)
      .executeTakeFirst();
  }

  async insertClient(
    db: Db,
    row: {
      id: string;
      clientId: string;
      name: string;
      scopes: ApiScope[];
      secretHash: string;
      createdBy: string | null;
    },
  ): Promise<void> {
    await db
      .insertInto('api_clients')
      .values({
        id: row.id,
        client_id: row.clientId,
        name: row.name,
        scopes: row.scopes,
        secret_hash: row.secretHash,
        created_by: row.createdBy,
      })
      .execute();
  }

  async replaceSecret(db: Db, id: string, secretHash: string, at: Date): Promise<void> {
    await db
      .updateTable('api_clients')
      .set({ secret_hash: secretHash, secret_rotated_at: at })
      .where('id', '=', id)
      .execute();
  }

  async markRevoked(db: Db, id: string, at: Date): Promise<void> {
    await db.updateTable('api_clients').set({ revoked_at: at }).where('id', '=', id).execute();
  }

  async touchLastUsed(db: Db, id: string, at: Date): Promise<void> {
    await db
      .updateTable('api_clients')
      .set({ last_used_at: at })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb('last_used_at', 'is', null),
          eb('last_used_at', '<', new Date(at.getTime() - LAST_USED_GRANULARITY_MS)),
        ]),
      )
      .execute();
  }

  async insertToken(
    db: Db,
    row: { tokenHash: string; clientId: string; scopes: ApiScope[]; issuedAt: Date; expiresAt: Date },
  ): Promise<void> {
    await db
      .insertInto('api_access_tokens')
      .values({
        token_hash: row.tokenHash,
        client_id: row.clientId,
        scopes: row.scopes,
        issued_at: row.issuedAt,
        expires_at: row.expiresAt,
      })
      .execute();
  }

  /** Every token of a client (its secret was rotated or it was revoked), or only those expired by `before`. */
  async deleteTokens(db: Db, clientId: string, before?: Date): Promise<void> {
    let query = db.deleteFrom('api_access_tokens').where('client_id', '=', clientId);
    if (before) query = query.where('expires_at', '<=', before);
    await query.execute();
  }

  /** A token that has not expired, of a client that is not revoked. */
  findLiveToken(db: Db, tokenHash: string, now: Date) {
    return db
      .selectFrom('api_access_tokens as t')
      .innerJoin('api_clients as c', 'c.id', 't.client_id')
      .select(['c.id', 'c.client_id', 'c.name', 't.scopes'])
      .where('t.token_hash', '=', tokenHash)
      .where('t.expires_at', '>', now)
      .where('c.revoked_at', 'is', null)
      .executeTakeFirst();
  }
}
