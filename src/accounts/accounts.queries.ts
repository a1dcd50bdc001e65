import type { Db } from '../platform/db/database.ts';

// Query pieces the accounts module publishes for other modules' SQL (see platform/db/table-owners.ts): a
// subquery to join, so a page can name who decided or issued something without reading the users table.

/** Every account's name and e-mail, to join by `id`. */
export function userNames(db: Db) {
  return db.selectFrom('users').select(['id', 'name', 'email']);
}
