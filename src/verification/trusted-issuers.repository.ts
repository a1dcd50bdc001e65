import type { Db } from '../platform/db/database.ts';
import type { RegistryEntry } from './dcc-registry.ts';

/** SQL over the trusted issuers and their registries (the verification module's own tables). */
export class TrustedIssuersRepository {
  /** Every trusted DID with its name and where the trust comes from: added by hand first, then by registry. */
  allTrusted(db: Db) {
    return db
      .selectFrom('trusted_issuers as t')
      .leftJoin('trusted_issuer_registries as r', 'r.id', 't.registry_id')
      .select(['t.did', 't.name', 'r.name as registry_name'])
      .orderBy((eb) => eb.fn('coalesce', [eb.ref('r.created_at'), eb.val(new Date(0))]))
      .orderBy('t.created_at')
      .execute();
  }

  /** The issuers added by hand. */
  listAdded(db: Db) {
    return db
      .selectFrom('trusted_issuers')
      .select(['id', 'did', 'name', 'note', 'created_at'])
      .where('registry_id', 'is', null)
      .orderBy('name')
      .execute();
  }

  findAdded(db: Db, did: string) {
    return db
      .selectFrom('trusted_issuers')
      .select(['id', 'did', 'name', 'note'])
      .where('registry_id', 'is', null)
      .where('did', '=', did)
      .executeTakeFirst();
  }

  async insertAdded(db: Db, row: { id: string; did: string; name: string; note: string }): Promise<void> {
    await db
      .insertInto('trusted_issuers')
      .values({ ...row, url: null, registry_id: null })
      .execute();
  }

  async deleteAdded(db: Db, id: string): Promise<void> {
    await db.deleteFrom('trusted_issuers').where('id', '=', id).where('registry_id', 'is', null).execute();
  }

  /** The registries with how many issuers each lists now. */
  listRegistries(db: Db) {
    return db
      .selectFrom('trusted_issuer_registries as r')
      .select((eb) => [
        'r.id',
        'r.name',
        'r.url',
        'r.fetched_at',
        'r.last_error',
        eb
          .selectFrom('trusted_issuers as t')
          .whereRef('t.registry_id', '=', 'r.id')
          .select((c) => c.fn.countAll<string>().as('n'))
          .as('entry_count'),
      ])
      .orderBy('r.created_at')
      .execute();
  }

  findRegistry(db: Db, id: string) {
    return db.selectFrom('trusted_issuer_registries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findRegistryByUrl(db: Db, url: string) {
    return db.selectFrom('trusted_issuer_registries').selectAll().where('url', '=', url).executeTakeFirst();
  }

  async insertRegistry(db: Db, row: { id: string; name: string; url: string }): Promise<void> {
    await db.insertInto('trusted_issuer_registries').values(row).execute();
  }

  async deleteRegistry(db: Db, id: string): Promise<void> {
    await db.deleteFrom('trusted_issuer_registries').where('id', '=', id).execute();
  }

  /** Replaces a registry's entries with a fresh copy. Run inside a transaction. */
  async replaceEntries(
    db: Db,
    registryId: string,
    entries: readonly (RegistryEntry & { id: string })[],
    fetchedAt: Date,
  ): Promise<void> {
    await db.deleteFrom('trusted_issuers').where('registry_id', '=', registryId).execute();
    for (let start = 0; start < entries.length; start += 500) {
      const chunk = entries.slice(start, start + 500);
      await db
        .insertInto('trusted_issuers')
        .values(
          chunk.map((e) => ({
            id: e.id,
            did: e.did,
            name: e.name,
            note: e.location ?? '',
            url: e.url,
            registry_id: registryId,
          })),
        )
        .execute();
    }
    await db
      .updateTable('trusted_issuer_registries')
      .set({ fetched_at: fetchedAt, last_error: null })
      .where('id', '=', registryId)
      .execute();
  }

  async recordRegistryError(db: Db, registryId: string, problem: string): Promise<void> {
    await db
      .updateTable('trusted_issuer_registries')
      .set({ last_error: problem })
      .where('id', '=', registryId)
      .execute();
  }
}
