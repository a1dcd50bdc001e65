import type { Db } from '../platform/db/database.ts';

// Query pieces the accounts module publishes for other modules' SQL (see platform/db/table-owners.ts): a
// subquery to join, so a page can name who decided or issued something without reading the users table.

/** Every account's name, e-mail and status, to join by `id`. */
export function userNames(db: Db) {
  return db.selectFrom('users').select(['id', 'name', 'email', 'status']);
}

/** The roles each account holds, to join by `user_id`. */
export function userRoleRows(db: Db) {
  return db.selectFrom('user_roles').select(['user_id', 'role']);
}
