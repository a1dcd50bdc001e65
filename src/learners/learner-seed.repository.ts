import type { Insertable } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { CompletionsTable, EnrolmentsTable, LearnersTable } from '../platform/db/schema.ts';

/** SQL that writes learner records in bulk, for the demo university. Rows arrive checked. */
export class LearnerSeedRepository {
  async insertLearner(db: Db, row: Insertable<LearnersTable>) {
    await db.insertInto('learners').values(row).execute();
  }

  async insertEnrolment(db: Db, row: Insertable<EnrolmentsTable>) {
    await db.insertInto('enrolments').values(row).execute();
  }

  async insertCompletions(db: Db, rows: Insertable<CompletionsTable>[]) {
    if (rows.length > 0) await db.insertInto('completions').values(rows).execute();
  }
}
