import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { Institution, InstitutionTable } from '../platform/db/schema.ts';
import type { InstitutionLogosTable } from './institution.tables.ts';

/** SQL for the institution's own settings (one row) and the logos it has used. */
export class InstitutionRepository {
  find(db: Db): Promise<Institution | undefined> {
    return db.selectFrom('institution').selectAll().executeTakeFirst();
  }

  /** The row, locked until the caller's transaction ends, so two saves cannot interleave their audit entries. */
  findForUpdate(db: Db): Promise<Institution | undefined> {
    return db.selectFrom('institution').selectAll().forUpdate().executeTakeFirst();
  }

  async insert(db: Db, row: Insertable<InstitutionTable>): Promise<void> {
    await db.insertInto('institution').values(row).execute();
  }

  async save(db: Db, value: Omit<Insertable<InstitutionTable>, 'id'>): Promise<void> {
    await db
      .insertInto('institution')
      .values({ id: 1, ...value })
      .onConflict((oc) => oc.column('id').doUpdateSet(value as Updateable<InstitutionTable>))
      .execute();
  }

  async setLogo(db: Db, sha256: string | null): Promise<void> {
    await db.updateTable('institution').set({ logo_sha256: sha256 }).where('id', '=', 1).execute();
  }

  /** Keeps a logo by its hash; the same bytes uploaded again are the same row. */
  async keepLogo(
    db: Db,
    logo: Pick<InstitutionLogosTable, 'sha256' | 'content_type' | 'content'>,
  ): Promise<void> {
    await db
      .insertInto('institution_logos')
      .values(logo)
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  }

  findLogo(db: Db, sha256: string) {
    return db
      .selectFrom('institution_logos')
      .select(['sha256', 'content_type', 'content'])
      .where('sha256', '=', sha256)
      .executeTakeFirst();
  }
}
