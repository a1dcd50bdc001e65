import type { Db } from '../platform/db/database.ts';
import type { Institution } from '../platform/db/schema.ts';

/** SQL for the institution's own settings (one row). */
export class InstitutionRepository {
  find(db: Db): Promise<Institution | undefined> {
    return db.selectFrom('institution').selectAll().executeTakeFirst();
  }

  async save(db: Db, value: Omit<Institution, 'id'>): Promise<void> {
    await db
      .insertInto('institution')
      .values({ id: 1, ...value })
      .onConflict((oc) => oc.column('id').doUpdateSet(value))
      .execute();
  }
}
