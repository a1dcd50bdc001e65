import type { Db } from '../platform/db/database.ts';

// Query pieces the catalog module publishes for other modules' SQL (see platform/db/table-owners.ts).

/** The course catalog, to join by `code`; `status` says whether the registrar has confirmed a course yet. */
export function courseRows(db: Db) {
  return db.selectFrom('courses').select(['code', 'title', 'credits', 'level', 'status', 'is_active']);
}

/** Departments' names, to join by `code`. */
export function departmentNames(db: Db) {
  return db.selectFrom('departments').select(['code', 'name']);
}

/** Certificates' names, to join by `slug`. */
export function certificateNames(db: Db) {
  return db.selectFrom('certificates').select(['slug', 'title']);
}

/** The institution's academic terms with their dates, to order and bucket days by term. */
export function termRows(db: Db) {
  return db.selectFrom('terms').select(['code', 'name', 'starts_on', 'ends_on']);
}
