import type { Insertable } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { Institution, InstitutionTable } from '../platform/db/schema.ts';

/** SQL for the institution's own settings (one row). */
export class InstitutionRepository {
  find(db: Db): Promise<Institution | undefined> {
    return db.selectFrom('institution').selectAll().executeTakeFirst();
  }

  async insert(db: Db, row: Insertable<InstitutionTable>): Promise<void> {
    await db.insertInto('institution').values(row).execute();
  }

  async save(db: Db, value: Omit<Institution, 'id'>): Promise<void> {
    await db
      .insertInto('institution')
      .values({ id: 1, ...value })
      .onConflict((oc) => oc.column('id').doUpdateSet(value))
      .execute();
  }
}
