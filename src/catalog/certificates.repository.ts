import { sql } from 'kysely';
import { credentialStatuses } from '../credentials/credentials.queries.ts';
import { completionRows, enrolmentRows, learnerRows } from '../learners/learners.queries.ts';
import type { Db } from '../platform/db/database.ts';
import { OPEN_STATES } from '../programs/program-vocabulary.ts';
import { programCourseRows, programRecords } from '../programs/programs.queries.ts';

const certificateColumns = [
  'c.slug',
  'c.title',
  'c.description',
  'c.level',
  'c.credits_required as creditsRequired',
  'c.is_transcripted as isTranscripted',
  'c.badges_required as badgesRequired',
  'c.outcome',
  'c.updated_at as updatedAt',
] as const;

/**
 * "This program stacks into the certificate": its own proposal names it (`stacks_into`), or the certificate's
 * published version counts it (`certificate_programs`).
 */
const stacksInto = (slug: string) =>
  sql<boolean>`(p.stacks_into @> ${JSON.stringify([slug])}::jsonb or p.id in
    (select cp.program_id from certificate_programs cp where cp.certificate_slug = ${slug}))`;

/**
 * SQL for certificate pathways. Programs only ever come from offered ones (pilot or established): a draft or
 * a proposal under review that names a certificate stays invisible here, as everywhere in the catalog. So do
 * certificates never published; for the others the rows hold the published version (drafts live in
 * `certificate_versions` until they are published).
 */
export class CertificatesRepository {
  list(db: Db) {
    return db
      .selectFrom('certificates as c')
      .select(certificateColumns)
      .select((eb) =>
        eb
          .selectFrom(programRecords(db).as('p'))
          .select(eb.fn.countAll<number>().as('n'))
          .where('p.status', 'in', OPEN_STATES)
          .where(
            sql<boolean>`(p.stacks_into @> jsonb_build_array(c.slug) or p.id in
              (select cp.program_id from certificate_programs cp where cp.certificate_slug = c.slug))`,
          )
          .as('badgeCount'),
      )
      .where('c.published_version', 'is not', null)
      .orderBy('c.title')
      .execute();
  }

  find(db: Db, slug: string) {
    return db
      .selectFrom('certificates as c')
      .select(certificateColumns)
      .where('c.slug', '=', slug)
      .where('c.published_version', 'is not', null)
      .executeTakeFirst();
  }

  /** The offered badges that stack into a certificate, each with its course codes in catalog order. */
  stack(db: Db, slug: string) {
    return db
      .selectFrom(programRecords(db).as('p'))
      .select([
        'p.id',
        'p.slug',
        'p.title',
        'p.summary',
        'p.level',
        'p.credits_min as creditsMin',
        'p.credits_max as creditsMax',
        'p.credit_type as creditType',
        'p.status',
        sql<string[]>`coalesce((select jsonb_agg(pc.course_code order by pc.position)
          from ${programCourseRows(db)} pc where pc.program_id = p.id), '[]'::jsonb)`.as('courseCodes'),
      ])
      .where('p.status', 'in', OPEN_STATES)
      .where(stacksInto(slug))
      .orderBy('p.title')
      .execute();
  }

  extraCourses(db: Db, slug: string) {
    return db
      .selectFrom('certificate_courses as cc')
      .innerJoin('courses as co', 'co.code', 'cc.course_code')
      .select(['co.code', 'co.title', 'co.credits', 'cc.is_required as isRequired'])
      .where('cc.certificate_slug', '=', slug)
      .orderBy('cc.position')
      .execute();
  }

  /**
   * What the signed-in person's learner record holds of a stack: current badges, enrolments (not withdrawn)
   * and completions of the extra courses. Null for people without a learner record (staff, for instance).
   */
  async standing(db: Db, userId: string, programIds: string[], courseCodes: string[]) {
    const learner = await db
      .selectFrom(learnerRows(db).as('l'))
      .select('id')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!learner) return null;
    const none = Promise.resolve([] as never[]);
    const [badges, enrolments, completions] = await Promise.all([
      programIds.length === 0
        ? none
        : db
            .selectFrom(credentialStatuses(db).as('c'))
            .select('program_id as programId')
            .where('learner_id', '=', learner.id)
            .where('program_id', 'in', programIds)
            .where('status', '=', 'active')
            .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', sql<Date>`now()`)]))
            .execute(),
      programIds.length === 0
        ? none
        : db
            .selectFrom(enrolmentRows(db).as('e'))
            .select(['program_id as programId', 'status'])
            .where('learner_id', '=', learner.id)
            .where('program_id', 'in', programIds)
            .where('status', '<>', 'withdrawn')
            .execute(),
      courseCodes.length === 0
        ? none
        : db
            .selectFrom(completionRows(db).as('c'))
            .select(['course_code as code', 'grade'])
            .where('learner_id', '=', learner.id)
            .where('course_code', 'in', courseCodes)
            .execute(),
    ]);
    return { badges, enrolments, completions };
  }

  /**
   * The published certificates that count any badge the signed-in person's learner record has to do with: one
   * they hold (a credential, whatever its state) or one they are enrolled in (not withdrawn). Empty without a record.
   */
  async certificatesOfUser(db: Db, userId: string): Promise<string[]> {
    const learner = db.selectFrom(learnerRows(db).as('l')).select('l.id').where('l.user_id', '=', userId);
    const programIds = db
      .selectFrom(enrolmentRows(db).as('e'))
      .select('e.program_id')
      .where('e.learner_id', 'in', learner)
      .where('e.status', '<>', 'withdrawn')
      .union(
        db
          .selectFrom(credentialStatuses(db).as('cs'))
          .select('cs.program_id')
          .where('cs.learner_id', 'in', learner),
      );
    const rows = await db
      .selectFrom('certificates as c')
      .select('c.slug')
      .where('c.published_version', 'is not', null)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom(programRecords(db).as('p'))
            .select('p.id')
            .where('p.status', 'in', OPEN_STATES)
            .where('p.id', 'in', programIds)
            .where(
              sql<boolean>`(p.stacks_into @> jsonb_build_array(c.slug) or p.id in
                (select cp.program_id from certificate_programs cp where cp.certificate_slug = c.slug))`,
            ),
        ),
      )
      .orderBy('c.title')
      .execute();
    return rows.map((row) => row.slug);
  }

  sitemapEntries(db: Db) {
    return db
      .selectFrom('certificates')
      .select(['slug', 'updated_at as updatedAt'])
      .where('published_version', 'is not', null)
      .orderBy('slug')
      .execute();
  }
}
