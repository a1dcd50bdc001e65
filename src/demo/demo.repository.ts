import type { Insertable } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type {
  CertificatesTable,
  CompletionsTable,
  EnrolmentsTable,
  InstitutionTable,
  LearnersTable,
  ProgramsTable,
} from '../platform/db/schema.ts';
import type { Level } from '../programs/program-vocabulary.ts';

/** SQL for loading the demo university. Rows arrive checked; this only writes them. */
export class DemoRepository {
  async hasInstitution(db: Db): Promise<boolean> {
    return (await db.selectFrom('institution').select('id').executeTakeFirst()) !== undefined;
  }

  async insertInstitution(db: Db, row: Insertable<InstitutionTable>) {
    await db.insertInto('institution').values(row).execute();
  }

  async insertDepartments(db: Db, rows: { code: string; name: string }[]) {
    if (rows.length > 0) await db.insertInto('departments').values(rows).execute();
  }

  async insertCourses(db: Db, rows: { code: string; title: string; credits: number; level: Level }[]) {
    if (rows.length > 0) await db.insertInto('courses').values(rows).execute();
  }

  async insertCertificates(db: Db, rows: Insertable<CertificatesTable>[]) {
    if (rows.length > 0) await db.insertInto('certificates').values(rows).execute();
  }

  async insertCertificateCourses(db: Db, slug: string, courses: { code: string; required: boolean }[]) {
    if (courses.length === 0) return;
    await db
      .insertInto('certificate_courses')
      .values(
        courses.map((c, position) => ({
          certificate_slug: slug,
          course_code: c.code,
          position,
          is_required: c.required,
        })),
      )
      .execute();
  }

  async insertProgram(db: Db, row: Insertable<ProgramsTable>) {
    await db.insertInto('programs').values(row).execute();
  }

  async insertProgramCourses(db: Db, programId: string, codes: string[]) {
    if (codes.length === 0) return;
    await db
      .insertInto('program_courses')
      .values(codes.map((course_code, position) => ({ program_id: programId, course_code, position })))
      .execute();
  }

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
