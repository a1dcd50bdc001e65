import type { Insertable } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { CertificatesTable } from '../platform/db/schema.ts';
import type { Level } from '../programs/program-vocabulary.ts';

/** SQL that writes the course catalog in bulk, for the demo university. Rows arrive checked. */
export class CatalogSeedRepository {
  async insertDepartments(db: Db, rows: { code: string; name: string }[]) {
    if (rows.length > 0) await db.insertInto('departments').values(rows).execute();
  }

  async insertTerms(db: Db, rows: { code: string; name: string; startsOn: string; endsOn: string }[]) {
    if (rows.length === 0) return;
    await db
      .insertInto('terms')
      .values(rows.map((t) => ({ code: t.code, name: t.name, starts_on: t.startsOn, ends_on: t.endsOn })))
      .execute();
  }

  /** Subject and number are read from the code ('COMM 330'), as the migration did for courses stored before. */
  async insertCourses(
    db: Db,
    rows: { code: string; title: string; credits: number; level: Level; departmentCode?: string | null }[],
  ) {
    if (rows.length === 0) return;
    await db
      .insertInto('courses')
      .values(
        rows.map(({ departmentCode, ...row }) => {
          const [subject = row.code, ...rest] = row.code.split(' ');
          return { ...row, subject, number: rest.join(' '), department_code: departmentCode ?? null };
        }),
      )
      .execute();
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
}
