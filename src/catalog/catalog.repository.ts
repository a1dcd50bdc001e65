import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { type CreditType, type Level, LISTED_STATES, OPEN_STATES } from '../programs/program-vocabulary.ts';
import { programCourseRows, programRecords } from '../programs/programs.queries.ts';

export interface CatalogFilter {
  q?: string;
  level?: Level;
  creditType?: CreditType;
  department?: string;
  skill?: string;
  maxCredits?: number;
}

/** SQL for the public catalog: read-only, and always restricted to offered (or retired) programs. */
export class CatalogRepository {
  search(db: Db, filter: CatalogFilter) {
    let query = db
      .selectFrom(programRecords(db).as('p'))
      .innerJoin('departments as d', 'd.code', 'p.department_code')
      .select([
        'p.slug',
        'p.title',
        'p.summary',
        'p.level',
        'p.credit_type as creditType',
        'p.delivery_mode as deliveryMode',
        'p.credits_min as creditsMin',
        'p.credits_max as creditsMax',
        'p.status',
        'p.skills',
        'p.fee_cents as feeCents',
        'd.name as department',
      ])
      .where('p.status', 'in', OPEN_STATES);
    if (filter.level) query = query.where('p.level', '=', filter.level);
    if (filter.creditType) query = query.where('p.credit_type', '=', filter.creditType);
    if (filter.department) query = query.where('p.department_code', '=', filter.department);
    if (filter.maxCredits !== undefined) query = query.where('p.credits_min', '<=', filter.maxCredits);
    if (filter.skill) {
      query = query.where(
        sql<boolean>`exists (select 1 from jsonb_array_elements(p.skills) s where lower(s->>'name') = ${filter.skill.toLowerCase()})`,
      );
    }
    if (filter.q) {
      const words = filter.q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
      for (const word of words) {
        const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        query = query.where(
          sql<boolean>`lower(p.title || ' ' || p.summary || ' ' || p.description || ' ' || p.skills::text || ' ' || d.name) like ${like}`,
        );
      }
    }
    return query.orderBy('p.title').execute();
  }

  /** Values for the filter menus, drawn from what is actually offered. */
  async facets(db: Db) {
    const departments = await db
      .selectFrom('departments as d')
      .select(['d.code', 'd.name'])
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom(programRecords(db).as('p'))
            .select('p.id')
            .whereRef('p.department_code', '=', 'd.code')
            .where('p.status', 'in', OPEN_STATES),
        ),
      )
      .orderBy('d.name')
      .execute();
    const skills = await sql<{ name: string }>`
      select distinct s->>'name' as name
      from ${programRecords(db)} p, jsonb_array_elements(p.skills) s
      where p.status in (${sql.join(OPEN_STATES)})
      order by 1`.execute(db);
    const credits = await db
      .selectFrom(programRecords(db).as('p'))
      .select('p.credits_min as credits')
      .distinct()
      .where('p.status', 'in', OPEN_STATES)
      .orderBy('p.credits_min')
      .execute();
    const certificate = await db
      .selectFrom('certificates')
      .select('slug')
      .where('published_version', 'is not', null)
      .limit(1)
      .executeTakeFirst();
    return {
      departments,
      skills: skills.rows.map((r) => r.name),
      credits: credits.map((r) => r.credits),
      hasCertificates: certificate !== undefined,
    };
  }

  findListed(db: Db, slug: string) {
    return db
      .selectFrom(programRecords(db).as('p'))
      .innerJoin('departments as d', 'd.code', 'p.department_code')
      .selectAll('p')
      .select('d.name as department')
      .where('p.slug', '=', slug)
      .where('p.status', 'in', LISTED_STATES)
      .executeTakeFirst();
  }

  coursesOf(db: Db, programId: string) {
    return db
      .selectFrom(programCourseRows(db).as('pc'))
      .innerJoin('courses as c', 'c.code', 'pc.course_code')
      .select(['c.code', 'c.title', 'c.credits', 'c.level'])
      .select(sql<boolean>`c.status = 'proposed'`.as('isProposed'))
      .where('pc.program_id', '=', programId)
      .orderBy('pc.position')
      .execute();
  }

  /** Published certificates the program counts toward: named by its proposal, or counting it themselves. */
  certificates(db: Db, slugs: string[], programId: string) {
    return db
      .selectFrom('certificates')
      .select(['slug', 'title', 'description', 'credits_required as creditsRequired'])
      .where((eb) =>
        eb.or([
          ...(slugs.length > 0 ? [eb('slug', 'in', slugs)] : []),
          eb(
            'slug',
            'in',
            eb
              .selectFrom('certificate_programs')
              .select('certificate_slug')
              .where('program_id', '=', programId),
          ),
        ]),
      )
      .where('published_version', 'is not', null)
      .orderBy('title')
      .execute();
  }

  /** Other offered programs that share a certificate with this one (its stacking companions). */
  async companions(db: Db, programId: string, certificateSlugs: string[]) {
    if (certificateSlugs.length === 0) return [];
    return db
      .selectFrom(programRecords(db).as('p'))
      .select(['slug', 'title', 'stacks_into as stacksInto'])
      .where('status', 'in', OPEN_STATES)
      .where('id', '<>', programId)
      .where(sql<boolean>`stacks_into ?| ${sql.val(certificateSlugs)}::text[]`)
      .orderBy('title')
      .execute();
  }

  sitemapEntries(db: Db) {
    return db
      .selectFrom(programRecords(db).as('p'))
      .select(['slug', 'updated_at as updatedAt'])
      .where('status', 'in', LISTED_STATES)
      .orderBy('slug')
      .execute();
  }
}
