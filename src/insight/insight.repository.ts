import { type SelectQueryBuilder, sql } from 'kysely';
import { backpackClaims, badgeSharing } from '../backpack/backpack.queries.ts';
import { feeChargeRows } from '../billing/billing.queries.ts';
import { departmentNames, termRows } from '../catalog/catalog.queries.ts';
import { credentialStatuses } from '../credentials/credentials.queries.ts';
import { issuedAwardRows } from '../issuing/issuing.queries.ts';
import { enrolmentRows } from '../learners/learners.queries.ts';
import type { Db } from '../platform/db/database.ts';
import { isUuid } from '../platform/ids.ts';
import type { CreditType } from '../programs/program-vocabulary.ts';
import { programRows } from '../programs/programs.queries.ts';

/** Which programs and which days an overview counts; days are 'YYYY-MM-DD', both ends included. */
export interface OverviewFilter {
  department?: string;
  creditType?: CreditType;
  from: string;
  to: string;
}

/**
 * The live figures, read from the owners' published pieces, never a name of their tables. The overview's counts are
 * also kept per day (insight-figures.repository.ts); these live ones are what those must equal.
 */
export class InsightRepository {
  /** A program by its id (staff pages' addresses) or its slug (the catalog's). */
  findProgram(db: Db, idOrSlug: string) {
    return db
      .selectFrom(programRows(db).as('p'))
      .select(['p.id', 'p.slug', 'p.title', 'p.status', 'p.credit_type', 'p.fee_cents', 'p.lead_user_id'])
      .where(isUuid(idOrSlug) ? 'p.id' : 'p.slug', '=', idOrSlug.toLowerCase())
      .executeTakeFirst();
  }

  terms(db: Db) {
    return db.selectFrom(termRows(db).as('t')).selectAll('t').orderBy('t.starts_on').execute();
  }

  enrolments(db: Db, programId: string) {
    return db
      .selectFrom(enrolmentRows(db).as('e'))
      .select(['e.learner_id', 'e.path', 'e.enrolled_on', 'e.status'])
      .where('e.program_id', '=', programId)
      .execute();
  }

  /** Each award of the program with its badge's status, whether it was claimed and is shared, and its fee. */
  awards(db: Db, programId: string) {
    return db
      .selectFrom(issuedAwardRows(db).as('a'))
      .innerJoin(credentialStatuses(db).as('c'), 'c.id', 'a.credential_id')
      .leftJoin(backpackClaims(db).as('b'), 'b.credential_id', 'a.credential_id')
      .innerJoin(badgeSharing(db).as('s'), 's.credential_id', 'a.credential_id')
      .leftJoin(feeChargeRows(db).as('f'), 'f.credential_id', 'a.credential_id')
      .select([
        's.is_shared',
        'a.learner_id',
        'a.credit_mode',
        'a.completion_date',
        'a.issued_at',
        'c.status as credential_status',
        'b.claimed_at',
        'f.status as fee_status',
        'f.amount_cents as fee_cents',
      ])
      .where('a.program_id', '=', programId)
      .execute();
  }

  /** Programs counted by state and department. */
  programCounts(db: Db, filter: OverviewFilter) {
    return db
      .selectFrom(programRows(db).as('p'))
      .leftJoin(departmentNames(db).as('d'), 'd.code', 'p.department_code')
      .select(['p.status', 'd.name as department', sql<number>`count(*)::int`.as('count')])
      .$call((q) => programFilter(q, filter))
      .groupBy(['p.status', 'd.name'])
      .execute();
  }

  /** Badges issued per month, the month as the institution's calendar has it. */
  badgesPerMonth(db: Db, filter: OverviewFilter, timeZone: string) {
    const month = sql<string>`to_char(a.issued_at at time zone ${timeZone}, 'YYYY-MM')`;
    return (
      db
        .selectFrom(issuedAwardRows(db).as('a'))
        .select([month.as('month'), sql<number>`count(*)::int`.as('count')])
        .$call((q) => ofPrograms(db, q, 'a.program_id', filter))
        .$call((q) => issuedWithin(q, filter, timeZone))
        // By position: the month is written with a bound time zone, so the two spellings would not match.
        .groupBy(sql`1`)
        .execute()
    );
  }

  /** The badges issued in the period: how many, and how many of them are claimed, shared and revoked now. */
  async badgeCounts(db: Db, filter: OverviewFilter, timeZone: string) {
    const row = await db
      .selectFrom(issuedAwardRows(db).as('a'))
      .innerJoin(credentialStatuses(db).as('c'), 'c.id', 'a.credential_id')
      .innerJoin(badgeSharing(db).as('s'), 's.credential_id', 'a.credential_id')
      .leftJoin(backpackClaims(db).as('b'), 'b.credential_id', 'a.credential_id')
      .select([
        sql<number>`count(*)::int`.as('issued'),
        sql<number>`count(b.claimed_at)::int`.as('claimed'),
        sql<number>`count(*) filter (where s.is_shared)::int`.as('shared'),
        sql<number>`count(*) filter (where c.status = 'revoked')::int`.as('revoked'),
      ])
      .$call((q) => ofPrograms(db, q, 'a.program_id', filter))
      .$call((q) => issuedWithin(q, filter, timeZone))
      .executeTakeFirstOrThrow();
    return row;
  }

  /** Enrolments made in the period, by path. */
  enrolmentPaths(db: Db, filter: OverviewFilter) {
    return db
      .selectFrom(enrolmentRows(db).as('e'))
      .select(['e.path', sql<number>`count(*)::int`.as('count')])
      .$call((q) => ofPrograms(db, q, 'e.program_id', filter))
      .where('e.enrolled_on', '>=', filter.from)
      .where('e.enrolled_on', '<=', filter.to)
      .groupBy('e.path')
      .execute();
  }

  /** The departments programs belong to, for the filter's choices. */
  departments(db: Db) {
    return db
      .selectFrom(departmentNames(db).as('d'))
      .select(['d.code', 'd.name'])
      .orderBy('d.name')
      .execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the filter applies to any query that has joined programs as `p`.
function programFilter<Q extends SelectQueryBuilder<any, any, any>>(query: Q, filter: OverviewFilter): Q {
  let q = query;
  if (filter.department) q = q.where('p.department_code', '=', filter.department) as Q;
  if (filter.creditType) q = q.where('p.credit_type', '=', filter.creditType) as Q;
  return q;
}

/**
 * Rows (enrolments, awards, kept counts) of the programs the filter picks, by their program column. Without a
 * filter nothing is added: every row has a program, so joining them all to count would read 500 programs for nothing.
 */
// biome-ignore lint/suspicious/noExplicitAny: the filter applies to any query with a program column.
export function ofPrograms<Q extends SelectQueryBuilder<any, any, any>>(
  db: Db,
  query: Q,
  column: string,
  filter: OverviewFilter,
): Q {
  if (!filter.department && !filter.creditType) return query;
  const picked = programFilter(db.selectFrom(programRows(db).as('p')).select('p.id'), filter);
  return query.where(sql.ref(column), 'in', picked) as Q;
}

/**
 * Awards (joined as `a`) issued on the period's days in the institution's time zone, written as a range of instants
 * so the index on issue time answers it: from the first day's midnight there to the midnight after the last day.
 */
// biome-ignore lint/suspicious/noExplicitAny: the range applies to any query that has joined awards as `a`.
function issuedWithin<Q extends SelectQueryBuilder<any, any, any>>(
  query: Q,
  period: OverviewFilter,
  timeZone: string,
): Q {
  return query
    .where('a.issued_at', '>=', sql<Date>`(${period.from}::date)::timestamp at time zone ${timeZone}`)
    .where('a.issued_at', '<', sql<Date>`(${period.to}::date + 1)::timestamp at time zone ${timeZone}`) as Q;
}
