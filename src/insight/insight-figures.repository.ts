import { type RawBuilder, sql } from 'kysely';
import { backpackClaims, badgeSharing } from '../backpack/backpack.queries.ts';
import { credentialStatuses } from '../credentials/credentials.queries.ts';
import { issuedAwardRows } from '../issuing/issuing.queries.ts';
import { enrolmentRows } from '../learners/learners.queries.ts';
import type { Db } from '../platform/db/database.ts';
import type { EnrolmentPath } from '../programs/program-vocabulary.ts';
import { periodParts } from './figure-periods.ts';
import { type OverviewFilter, ofPrograms } from './insight.repository.ts';

/** A program's day: the key of a row of badge counts. */
export interface ProgramDay {
  programId: string;
  day: string;
}

export interface BadgeDayRow {
  program_id: string;
  day: string;
  issued: number;
  claimed: number;
  shared: number;
  revoked: number;
}

export interface EnrolmentDayRow {
  program_id: string;
  day: string;
  path: EnrolmentPath;
  enrolments: number;
}

/** Lock class for the per-program locks refreshes take (the migration's number, so no other lock shares it). */
const LOCK_CLASS = 57;

/**
 * The overview's counts kept per program and day (migration 0057), and the live counts they must equal. The live
 * queries are the reference: rebuilding writes exactly what they return, and `verify` compares the two.
 */
export class InsightFiguresRepository {
  /** The time zone the badge days were built in; undefined before the first build. */
  async builtTimeZone(db: Db): Promise<string | undefined> {
    const row = await db.selectFrom('insight_state').select('time_zone').executeTakeFirst();
    return row?.time_zone;
  }

  /**
   * Waits for a rebuild in progress to finish, and keeps one from starting until the caller's transaction ends, so
   * a refresh never falls between a rebuild's reading and its commit.
   */
  async holdAgainstRebuild(trx: Db): Promise<void> {
    await sql`lock table insight_state in row exclusive mode`.execute(trx);
  }

  /**
   * One program's figures are refreshed by one transaction at a time: the next waits, then counts what the first
   * committed. Taken in one order (by the programs' hash) so two refreshes never wait for each other.
   */
  async lockPrograms(trx: Db, programIds: readonly string[]): Promise<void> {
    if (programIds.length === 0) return;
    await sql`
      select pg_advisory_xact_lock(${LOCK_CLASS}, s.k)
      from (select distinct hashtext(v) as k from (values ${valuesOf(programIds)}) t(v) order by k) s
    `.execute(trx);
  }

  /** The programs and days (in `timeZone`) of the awards of these credentials. */
  async badgeDaysOf(db: Db, credentialIds: readonly string[], timeZone: string): Promise<ProgramDay[]> {
    if (credentialIds.length === 0) return [];
    const rows = await db
      .selectFrom(issuedAwardRows(db).as('a'))
      .select(['a.program_id', dayOf(timeZone).as('day')])
      .where('a.credential_id', 'in', credentialIds)
      .distinct()
      .execute();
    return rows.map((r) => ({ programId: r.program_id, day: r.day }));
  }

  /** Counts these programs' days again from the awards, replacing what was kept. */
  async refreshBadgeDays(trx: Db, keys: readonly ProgramDay[], timeZone: string): Promise<void> {
    if (keys.length === 0) return;
    const pairs = sql.join(keys.map((k) => sql`(${k.programId}::uuid, ${k.day}::date)`));
    const programs = [...new Set(keys.map((k) => k.programId))];
    await sql`delete from insight_badge_days where (program_id, day) in (values ${pairs})`.execute(trx);
    const counted = this.liveBadgeDaysQuery(trx, timeZone)
      .where('a.program_id', 'in', programs)
      .where(sql<boolean>`(a.program_id, ${dayOf(timeZone)}) in (values ${pairs})`);
    await trx
      .insertInto('insight_badge_days')
      .columns(['program_id', 'day', 'issued', 'claimed', 'shared', 'revoked'])
      .expression(counted)
      .execute();
    const months = sql.join(
      [...new Set(keys.map((k) => `${k.programId} ${k.day.slice(0, 7)}-01`))].map((key) => {
        const [programId, month] = key.split(' ');
        return sql`(${programId}::uuid, ${month}::date)`;
      }),
    );
    await sql`delete from insight_badge_months where (program_id, month) in (values ${months})`.execute(trx);
    await sql`
      insert into insight_badge_months (program_id, month, issued, claimed, shared, revoked)
      select program_id, date_trunc('month', day)::date, sum(issued), sum(claimed), sum(shared), sum(revoked)
      from insight_badge_days
      where (program_id, date_trunc('month', day)::date) in (values ${months})
      group by 1, 2
    `.execute(trx);
  }

  /**
   * Adds newly issued awards to their days and months. Exact because an award is announced as issued once, in the
   * transaction that writes it, so none of these was counted before; counting only them keeps a tracking list's
   * chunks from recounting a day that grows with the list (a 15,000-row list ran 1.6 times longer that way).
   */
  async addIssuedBadges(trx: Db, credentialIds: readonly string[], timeZone: string): Promise<void> {
    if (credentialIds.length === 0) return;
    const added = this.liveBadgeDaysQuery(trx, timeZone).where('a.credential_id', 'in', credentialIds);
    await sql`
      insert into insight_badge_days (program_id, day, issued, claimed, shared, revoked)
      select program_id, day, issued, claimed, shared, revoked from (${added}) n
      on conflict (program_id, day) do update set
        issued = insight_badge_days.issued + excluded.issued,
        claimed = insight_badge_days.claimed + excluded.claimed,
        shared = insight_badge_days.shared + excluded.shared,
        revoked = insight_badge_days.revoked + excluded.revoked
    `.execute(trx);
    await sql`
      insert into insight_badge_months (program_id, month, issued, claimed, shared, revoked)
      select program_id, date_trunc('month', day)::date, sum(issued), sum(claimed), sum(shared), sum(revoked)
      from (${added}) n group by 1, 2
      on conflict (program_id, month) do update set
        issued = insight_badge_months.issued + excluded.issued,
        claimed = insight_badge_months.claimed + excluded.claimed,
        shared = insight_badge_months.shared + excluded.shared,
        revoked = insight_badge_months.revoked + excluded.revoked
    `.execute(trx);
  }

  /** Counts these programs' enrolments again, replacing what was kept. */
  async refreshEnrolmentDays(trx: Db, programIds: readonly string[]): Promise<void> {
    if (programIds.length === 0) return;
    await trx.deleteFrom('insight_enrolment_days').where('program_id', 'in', programIds).execute();
    await trx
      .insertInto('insight_enrolment_days')
      .columns(['program_id', 'day', 'path', 'enrolments'])
      .expression(this.liveEnrolmentDaysQuery(trx).where('e.program_id', 'in', programIds))
      .execute();
    await trx.deleteFrom('insight_enrolment_months').where('program_id', 'in', programIds).execute();
    await sql`
      insert into insight_enrolment_months (program_id, month, path, enrolments)
      select program_id, date_trunc('month', day)::date, path, sum(enrolments)
      from insight_enrolment_days where program_id in (${sql.join(programIds)})
      group by 1, 2, 3
    `.execute(trx);
  }

  /** Refreshes hold the row exclusive lock until they commit: this waits for them, and they wait for it. */
  async lockForRebuild(trx: Db): Promise<void> {
    await sql`lock table insight_state in exclusive mode`.execute(trx);
  }

  /** Everything counted again from the base tables, in the caller's transaction (under `lockForRebuild`). */
  async rebuild(trx: Db, timeZone: string, at: Date): Promise<void> {
    await trx.deleteFrom('insight_badge_days').execute();
    await trx.deleteFrom('insight_enrolment_days').execute();
    await trx.deleteFrom('insight_badge_months').execute();
    await trx.deleteFrom('insight_enrolment_months').execute();
    await trx.deleteFrom('insight_state').execute();
    await trx
      .insertInto('insight_badge_days')
      .columns(['program_id', 'day', 'issued', 'claimed', 'shared', 'revoked'])
      .expression(this.liveBadgeDaysQuery(trx, timeZone))
      .execute();
    await trx
      .insertInto('insight_enrolment_days')
      .columns(['program_id', 'day', 'path', 'enrolments'])
      .expression(this.liveEnrolmentDaysQuery(trx))
      .execute();
    await sql`
      insert into insight_badge_months (program_id, month, issued, claimed, shared, revoked)
      select program_id, date_trunc('month', day)::date, sum(issued), sum(claimed), sum(shared), sum(revoked)
      from insight_badge_days group by 1, 2
    `.execute(trx);
    await sql`
      insert into insight_enrolment_months (program_id, month, path, enrolments)
      select program_id, date_trunc('month', day)::date, path, sum(enrolments)
      from insight_enrolment_days group by 1, 2, 3
    `.execute(trx);
    await trx.insertInto('insight_state').values({ time_zone: timeZone, built_at: at }).execute();
    // The planner's estimates for the new rows now, not when autovacuum next looks (a bulk load's usual step).
    await sql`analyze insight_badge_days, insight_badge_months, insight_enrolment_days, insight_enrolment_months`.execute(
      trx,
    );
  }

  /** The badge counts per program and day, counted live: the reference the kept rows must equal. */
  liveBadgeDaysQuery(db: Db, timeZone: string) {
    return db
      .selectFrom(issuedAwardRows(db).as('a'))
      .innerJoin(credentialStatuses(db).as('c'), 'c.id', 'a.credential_id')
      .innerJoin(badgeSharing(db).as('s'), 's.credential_id', 'a.credential_id')
      .leftJoin(backpackClaims(db).as('b'), 'b.credential_id', 'a.credential_id')
      .select([
        'a.program_id',
        dayOf(timeZone).as('day'),
        sql<number>`count(*)::int`.as('issued'),
        sql<number>`count(b.claimed_at)::int`.as('claimed'),
        sql<number>`(count(*) filter (where s.is_shared))::int`.as('shared'),
        sql<number>`(count(*) filter (where c.status = 'revoked'))::int`.as('revoked'),
      ])
      .groupBy(sql`1, 2`);
  }

  /** The enrolments per program, day and path, counted live. */
  liveEnrolmentDaysQuery(db: Db) {
    return db
      .selectFrom(enrolmentRows(db).as('e'))
      .select(['e.program_id', 'e.enrolled_on as day', 'e.path', sql<number>`count(*)::int`.as('enrolments')])
      .groupBy(['e.program_id', 'e.enrolled_on', 'e.path']);
  }

  /** The months' rows, `day` holding the month's first day. */
  storedBadgeMonths(db: Db): Promise<BadgeDayRow[]> {
    return db
      .selectFrom('insight_badge_months')
      .select(['program_id', 'month as day', 'issued', 'claimed', 'shared', 'revoked'])
      .execute();
  }

  storedEnrolmentMonths(db: Db): Promise<EnrolmentDayRow[]> {
    return db
      .selectFrom('insight_enrolment_months')
      .select(['program_id', 'month as day', 'path', 'enrolments'])
      .execute();
  }

  /** Per month, counted live from the base tables (not from the days). */
  async liveBadgeMonths(db: Db, timeZone: string): Promise<BadgeDayRow[]> {
    const { rows } = await sql<BadgeDayRow>`
      select program_id, date_trunc('month', day)::date as day, sum(issued)::int as issued,
        sum(claimed)::int as claimed, sum(shared)::int as shared, sum(revoked)::int as revoked
      from (${this.liveBadgeDaysQuery(db, timeZone)}) d group by 1, 2
    `.execute(db);
    return rows;
  }

  async liveEnrolmentMonths(db: Db): Promise<EnrolmentDayRow[]> {
    const { rows } = await sql<EnrolmentDayRow>`
      select program_id, date_trunc('month', day)::date as day, path, sum(enrolments)::int as enrolments
      from (${this.liveEnrolmentDaysQuery(db)}) d group by 1, 2, 3
    `.execute(db);
    return rows;
  }

  storedBadgeDays(db: Db): Promise<BadgeDayRow[]> {
    return db.selectFrom('insight_badge_days').selectAll().execute();
  }

  storedEnrolmentDays(db: Db): Promise<EnrolmentDayRow[]> {
    return db.selectFrom('insight_enrolment_days').selectAll().execute();
  }

  async liveBadgeDays(db: Db, timeZone: string): Promise<BadgeDayRow[]> {
    return (await this.liveBadgeDaysQuery(db, timeZone).execute()) as BadgeDayRow[];
  }

  liveEnrolmentDays(db: Db): Promise<EnrolmentDayRow[]> {
    return this.liveEnrolmentDaysQuery(db).execute();
  }

  // ---- the overview's counts, from the kept rows (the same answers as InsightRepository's live ones) ----

  badgesPerMonth(db: Db, filter: OverviewFilter) {
    return db
      .selectFrom(badgeRowsWithin(filter).as('d'))
      .select(['d.month', sql<number>`sum(d.issued)::int`.as('count')])
      .$call((q) => ofPrograms(db, q, 'd.program_id', filter))
      .groupBy('d.month')
      .execute();
  }

  badgeCounts(db: Db, filter: OverviewFilter) {
    return db
      .selectFrom(badgeRowsWithin(filter).as('d'))
      .select([
        sql<number>`coalesce(sum(d.issued), 0)::int`.as('issued'),
        sql<number>`coalesce(sum(d.claimed), 0)::int`.as('claimed'),
        sql<number>`coalesce(sum(d.shared), 0)::int`.as('shared'),
        sql<number>`coalesce(sum(d.revoked), 0)::int`.as('revoked'),
      ])
      .$call((q) => ofPrograms(db, q, 'd.program_id', filter))
      .executeTakeFirstOrThrow();
  }

  enrolmentPaths(db: Db, filter: OverviewFilter) {
    return db
      .selectFrom(enrolmentRowsWithin(filter).as('d'))
      .select(['d.path', sql<number>`sum(d.enrolments)::int`.as('count')])
      .$call((q) => ofPrograms(db, q, 'd.program_id', filter))
      .groupBy('d.path')
      .execute();
  }
}

/** The kept badge rows that make up the period: its whole months' rows and the other days' rows. */
function badgeRowsWithin(filter: OverviewFilter) {
  const parts = periodParts(filter.from, filter.to);
  const pieces = [
    ...(parts.months
      ? [
          sql`select program_id, to_char(month, 'YYYY-MM') as month, issued, claimed, shared, revoked
              from insight_badge_months where month >= ${parts.months.from}::date and month < ${parts.months.until}::date`,
        ]
      : []),
    ...parts.days.map(
      (range) =>
        sql`select program_id, to_char(day, 'YYYY-MM') as month, issued, claimed, shared, revoked
            from insight_badge_days where day >= ${range.from}::date and day <= ${range.to}::date`,
    ),
  ];
  return sql<{
    program_id: string;
    month: string;
    issued: number;
    claimed: number;
    shared: number;
    revoked: number;
  }>`(${pieces.length === 0 ? sql`select null::uuid as program_id, null::text as month, 0 as issued, 0 as claimed, 0 as shared, 0 as revoked where false` : sql.join(pieces, sql` union all `)})`;
}

function enrolmentRowsWithin(filter: OverviewFilter) {
  const parts = periodParts(filter.from, filter.to);
  const pieces = [
    ...(parts.months
      ? [
          sql`select program_id, path, enrolments from insight_enrolment_months
              where month >= ${parts.months.from}::date and month < ${parts.months.until}::date`,
        ]
      : []),
    ...parts.days.map(
      (range) =>
        sql`select program_id, path, enrolments from insight_enrolment_days
            where day >= ${range.from}::date and day <= ${range.to}::date`,
    ),
  ];
  return sql<{
    program_id: string;
    path: EnrolmentPath;
    enrolments: number;
  }>`(${pieces.length === 0 ? sql`select null::uuid as program_id, null::text as path, 0 as enrolments where false` : sql.join(pieces, sql` union all `)})`;
}

/** An award's day in the institution's calendar, as 'YYYY-MM-DD'. */
function dayOf(timeZone: string): RawBuilder<string> {
  return sql<string>`(a.issued_at at time zone ${timeZone})::date`;
}

function valuesOf(values: readonly string[]) {
  return sql.join(values.map((v) => sql`(${v}::text)`));
}
