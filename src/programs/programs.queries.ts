import type { Db } from '../platform/db/database.ts';

// Query pieces the programs module publishes for other modules' SQL: subqueries to join by `id`, so a page
// that lists awards or requests can name their programs without reading the programs table itself.

/** Every program's names, to join by `id`. */
export function programNames(db: Db) {
  return db.selectFrom('programs').select(['id', 'slug', 'title']);
}
