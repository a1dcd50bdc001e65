import { sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import type { Db } from '../platform/db/database.ts';
import { OPEN_STATES } from '../programs/program-vocabulary.ts';
import { programRecords } from '../programs/programs.queries.ts';
import type { CertificateContent } from './certificate-content.ts';

/** SQL for editing certificates: their versions, and copying a published version to what the public reads. */
export class CertificateVersionsRepository {
  async slugTaken(db: Db, slug: string): Promise<boolean> {
    const row = await db
      .selectFrom('certificates')
      .select('slug')
      .where('slug', '=', slug)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Every certificate for the staff list, with its published version and its open draft, if any. */
  staffList(db: Db) {
    return db
      .selectFrom('certificates as c')
      .leftJoin('certificate_versions as d', (join) =>
        join.onRef('d.certificate_slug', '=', 'c.slug').on('d.published_at', 'is', null),
      )
      .select([
        'c.slug',
        'c.title',
        'c.published_version as publishedVersion',
        'c.updated_at as updatedAt',
        'd.version as draftVersion',
        sql<string | null>`d.content->>'title'`.as('draftTitle'),
      ])
      .orderBy('c.title')
      .execute();
  }

  /** The certificate row, locked for the rest of the transaction so two editors take turns. */
  lock(db: Db, slug: string) {
    return db.selectFrom('certificates').selectAll().where('slug', '=', slug).forUpdate().executeTakeFirst();
  }

  find(db: Db, slug: string) {
    return db.selectFrom('certificates').selectAll().where('slug', '=', slug).executeTakeFirst();
  }

  /** What the public reads now, as content: the base a certificate made before versioning starts from. */
  async publishedContent(db: Db, slug: string): Promise<CertificateContent | null> {
    const row = await this.find(db, slug);
    if (!row) return null;
    const [courses, programs] = await Promise.all([
      db
        .selectFrom('certificate_courses')
        .select(['course_code as code', 'is_required as required'])
        .where('certificate_slug', '=', slug)
        .orderBy('position')
        .execute(),
      db
        .selectFrom('certificate_programs')
        .select('program_id')
        .where('certificate_slug', '=', slug)
        .orderBy('program_id')
        .execute(),
    ]);
    return {
      title: row.title,
      description: row.description,
      level: row.level,
      creditsRequired: row.credits_required,
      isTranscripted: row.is_transcripted,
      badgesRequired: row.badges_required,
      outcome: row.outcome,
      programIds: programs.map((p) => p.program_id),
      courses,
    };
  }

  /** A certificate nobody has published yet: invisible to the public until it is. */
  async insertUnpublished(db: Db, slug: string, content: CertificateContent) {
    await db
      .insertInto('certificates')
      .values({ slug, ...columnsOf(content), published_version: null, updated_at: new Date() })
      .execute();
  }

  /** Before first publication only: the foreign keys follow (on update cascade). */
  async rename(db: Db, from: string, to: string) {
    await db.updateTable('certificates').set({ slug: to }).where('slug', '=', from).execute();
  }

  versions(db: Db, slug: string) {
    return db
      .selectFrom('certificate_versions as v')
      .leftJoin(userNames(db).as('created'), 'created.id', 'v.created_by')
      .leftJoin(userNames(db).as('updated'), 'updated.id', 'v.updated_by')
      .leftJoin(userNames(db).as('published'), 'published.id', 'v.published_by')
      .select([
        'v.version',
        'v.content',
        'v.note',
        'v.created_at as createdAt',
        'created.name as createdBy',
        'v.updated_at as updatedAt',
        'updated.name as updatedBy',
        'v.published_at as publishedAt',
        'published.name as publishedBy',
      ])
      .where('v.certificate_slug', '=', slug)
      .orderBy('v.version', 'desc')
      .execute();
  }

  async latestVersion(db: Db, slug: string): Promise<number> {
    const row = await db
      .selectFrom('certificate_versions')
      .select((eb) => eb.fn.max('version').as('latest'))
      .where('certificate_slug', '=', slug)
      .executeTakeFirst();
    return Number(row?.latest ?? 0);
  }

  openDraft(db: Db, slug: string) {
    return db
      .selectFrom('certificate_versions')
      .select(['version', 'content', 'note'])
      .where('certificate_slug', '=', slug)
      .where('published_at', 'is', null)
      .executeTakeFirst();
  }

  async insertVersion(
    db: Db,
    row: {
      slug: string;
      version: number;
      content: CertificateContent;
      note: string;
      by: string | null;
      publishedAt?: Date;
    },
  ) {
    await db
      .insertInto('certificate_versions')
      .values({
        certificate_slug: row.slug,
        version: row.version,
        content: JSON.stringify(row.content),
        note: row.note,
        created_by: row.by,
        updated_by: row.by,
        published_at: row.publishedAt ?? null,
        ...(row.publishedAt ? { created_at: row.publishedAt, updated_at: row.publishedAt } : {}),
      })
      .execute();
  }

  async updateDraft(
    db: Db,
    slug: string,
    version: number,
    content: CertificateContent,
    note: string,
    by: string | null,
  ) {
    await db
      .updateTable('certificate_versions')
      .set({ content: JSON.stringify(content), note, updated_by: by, updated_at: sql`now()` })
      .where('certificate_slug', '=', slug)
      .where('version', '=', version)
      .where('published_at', 'is', null)
      .execute();
  }

  async markPublished(db: Db, slug: string, version: number, by: string | null) {
    await db
      .updateTable('certificate_versions')
      .set({ published_by: by, published_at: sql`now()` })
      .where('certificate_slug', '=', slug)
      .where('version', '=', version)
      .where('published_at', 'is', null)
      .execute();
  }

  /** Makes a version what the public pages show: the row, its extra courses and its own badges. */
  async applyPublished(db: Db, slug: string, version: number, content: CertificateContent) {
    await db
      .updateTable('certificates')
      .set({ ...columnsOf(content), published_version: version, updated_at: sql`now()` })
      .where('slug', '=', slug)
      .execute();
    await db.deleteFrom('certificate_courses').where('certificate_slug', '=', slug).execute();
    if (content.courses.length > 0) {
      await db
        .insertInto('certificate_courses')
        .values(
          content.courses.map((c, position) => ({
            certificate_slug: slug,
            course_code: c.code,
            position,
            is_required: c.required,
          })),
        )
        .execute();
    }
    await db.deleteFrom('certificate_programs').where('certificate_slug', '=', slug).execute();
    if (content.programIds.length > 0) {
      await db
        .insertInto('certificate_programs')
        .values(content.programIds.map((programId) => ({ certificate_slug: slug, program_id: programId })))
        .execute();
    }
  }

  /** Offered badges a certificate may count, and which certificates each names in its own proposal. */
  offeredPrograms(db: Db) {
    return db
      .selectFrom(programRecords(db).as('p'))
      .select(['p.id', 'p.slug', 'p.title', 'p.stacks_into as stacksInto', 'p.credits_min as creditsMin'])
      .where('p.status', 'in', OPEN_STATES)
      .orderBy('p.title')
      .execute();
  }

  /** The courses of these codes that the catalog has, with their credits. */
  courses(db: Db, codes: string[]) {
    if (codes.length === 0) return Promise.resolve([]);
    return db.selectFrom('courses').select(['code', 'title', 'credits']).where('code', 'in', codes).execute();
  }
}

function columnsOf(content: CertificateContent) {
  return {
    title: content.title,
    description: content.description,
    level: content.level,
    credits_required: content.creditsRequired,
    is_transcripted: content.isTranscripted,
    badges_required: content.badgesRequired,
    outcome: content.outcome,
  };
}
