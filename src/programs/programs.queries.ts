import type { Db } from '../platform/db/database.ts';

// Query pieces the programs module publishes for other modules' SQL (see platform/db/table-owners.ts):
// subqueries to join by `id`, with the columns others may read. Writes go through the programs' services.

/** Every program's names, to join by `id`. */
export function programNames(db: Db) {
  return db.selectFrom('programs').select(['id', 'slug', 'title']);
}

/** Programs with the facts other modules decide on (state, credit, fee, rule), to join by `id`. */
export function programRows(db: Db) {
  return db
    .selectFrom('programs')
    .select([
      'id',
      'slug',
      'title',
      'summary',
      'department_code',
      'level',
      'status',
      'credit_type',
      'credits_min',
      'credits_max',
      'issuing_office',
      'fee_cents',
      'requirement',
      'validity_years',
      'renewal_requirement',
      'enrolment_paths',
      'lead_user_id',
      'pilot_start_year',
      'updated_at',
    ]);
}

/** The ids of the programs one person leads, for `program_id in …` (a lead sees only their own programs). */
export function programIdsLedBy(db: Db, userId: string) {
  return db.selectFrom('programs').select('id').where('lead_user_id', '=', userId);
}

/** The courses that count for each program, in the program's order; to join by `program_id`. */
export function programCourseRows(db: Db) {
  return db.selectFrom('program_courses').select(['program_id', 'course_code', 'position']);
}

/** Whole program records, for the public catalog, whose pages show every field of an offered program. */
export function programRecords(db: Db) {
  return db.selectFrom('programs').selectAll();
}
