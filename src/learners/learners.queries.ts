import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';

// Query pieces the learners module publishes for other modules' SQL (see platform/db/table-owners.ts):
// subqueries to join, with the columns others may read. Writes go through the learners' services.

/** Learner records, to join by `id` (or `user_id`, `student_id`). */
export function learnerRows(db: Db) {
  return db.selectFrom('learners').select(['id', 'user_id', 'name', 'email', 'student_id', 'status']);
}

/** Enrolments of learners in programs, to join by `learner_id` and `program_id`. */
export function enrolmentRows(db: Db) {
  return db
    .selectFrom('enrolments')
    .select(['id', 'learner_id', 'program_id', 'path', 'enrolled_on', 'status']);
}

/**
 * How many learners there are and how many enrolments are active, as one row: kept as they change (migration 0068)
 * rather than counted, so a staff page reads a handful of rows however many learners there are.
 */
export function learnerCounts(db: Db) {
  return db
    .selectFrom('learner_counts')
    .select([
      sql<string>`coalesce(sum(change) filter (where figure = 'learners'), 0)`.as('learners'),
      sql<string>`coalesce(sum(change) filter (where figure = 'active_enrolments'), 0)`.as(
        'active_enrolments',
      ),
    ]);
}

/** Completed courses from the student system, to join by `learner_id`. */
export function completionRows(db: Db) {
  return db
    .selectFrom('completions')
    .select(['id', 'learner_id', 'course_code', 'term', 'grade', 'credits', 'completed_on', 'source']);
}

/** The learners whose record an import changed (a completion added or updated), once each. */
export function importedLearnerIds(db: Db, importId: string) {
  return db
    .selectFrom('completion_import_learners')
    .select('learner_id')
    .where('import_id', '=', importId)
    .where((eb) => eb.or([eb('accepted', '>', 0), eb('updated', '>', 0)]));
}
