import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import type { OverviewFilter } from './insight.repository.ts';
import type { BadgeDayRow, EnrolmentDayRow, InsightFiguresRepository } from './insight-figures.repository.ts';

/** Where the kept figures and the live counts disagree: rows missing, extra or with other numbers. */
export interface FiguresDifference {
  table: 'badge days' | 'enrolment days' | 'badge months' | 'enrolment months';
  key: string;
  kept: string | null;
  live: string | null;
}

/**
 * The overview's counts kept per program and day, so a dashboard sums a few thousand rows instead of reading every
 * award and enrolment. They are changed in the transaction of every write that changes them (the subscriptions in
 * insight.wiring.ts: awards issued, revoked, claimed, accepted or declined, pages shown or hidden, enrolments made
 * or reopened), by counting the touched programs' days again from the base tables, never by adding and
 * subtracting: so they equal the live counts by construction, and a subscriber told twice does no harm.
 *
 * Badge days are days in the institution's time zone. When it changes, the figures are rebuilt before they are
 * read again (`figuresFor`).
 */
export class InsightFiguresService {
  constructor(
    private readonly database: Database,
    private readonly repository: InsightFiguresRepository,
    private readonly timeZone: () => Promise<string>,
    private readonly clock: Clock,
  ) {}

  /** Awards issued, or their badges revoked, claimed, accepted, declined, shown or hidden. */
  async onBadgesChanged(trx: Db, credentialIds: readonly string[]): Promise<void> {
    const held = await this.#holdBadgeDays(trx, credentialIds);
    if (held) await this.repository.refreshBadgeDays(trx, held.keys, held.timeZone);
  }

  /** Awards just issued: added to their days, which are not counted again (see `addIssuedBadges`). */
  async onBadgesIssued(trx: Db, credentialIds: readonly string[]): Promise<void> {
    const held = await this.#holdBadgeDays(trx, credentialIds);
    if (held) await this.repository.addIssuedBadges(trx, credentialIds, held.timeZone);
  }

  /**
   * Holds off a rebuild and locks the programs whose days these badges count in; undefined before the figures are
   * first built (the first build counts everything, this change included).
   */
  async #holdBadgeDays(trx: Db, credentialIds: readonly string[]) {
    await this.repository.holdAgainstRebuild(trx);
    const timeZone = await this.repository.builtTimeZone(trx);
    if (timeZone === undefined) return undefined;
    const keys = await this.repository.badgeDaysOf(trx, credentialIds, timeZone);
    await this.repository.lockPrograms(trx, [...new Set(keys.map((k) => k.programId))]);
    return { timeZone, keys };
  }

  /** Enrolments made or reopened in these programs. */
  async onEnrolmentsChanged(trx: Db, programIds: readonly string[]): Promise<void> {
    await this.repository.holdAgainstRebuild(trx);
    if ((await this.repository.builtTimeZone(trx)) === undefined) return;
    const programs = [...new Set(programIds)];
    await this.repository.lockPrograms(trx, programs);
    await this.repository.refreshEnrolmentDays(trx, programs);
  }

  /** Builds the figures when they are missing or in another time zone than the institution's (at start, say). */
  async ensureBuilt(): Promise<void> {
    const timeZone = await this.timeZone();
    if ((await this.repository.builtTimeZone(this.database.db)) === timeZone) return;
    await this.database.db.transaction().execute(async (trx) => {
      // Another process may have built them while this one waited for the lock.
      await this.repository.lockForRebuild(trx);
      if ((await this.repository.builtTimeZone(trx)) === timeZone) return;
      await this.repository.rebuild(trx, timeZone, this.clock.now());
    });
  }

  /** Counts everything again from the base tables (`stackable insight rebuild`). */
  async rebuild(): Promise<{ badgeDays: number; enrolmentDays: number; timeZone: string }> {
    const timeZone = await this.timeZone();
    await this.database.db.transaction().execute(async (trx) => {
      await this.repository.lockForRebuild(trx);
      await this.repository.rebuild(trx, timeZone, this.clock.now());
    });
    const db = this.database.db;
    const [badgeDays, enrolmentDays] = await Promise.all([
      this.repository.storedBadgeDays(db),
      this.repository.storedEnrolmentDays(db),
    ]);
    return { badgeDays: badgeDays.length, enrolmentDays: enrolmentDays.length, timeZone };
  }

  /**
   * Every kept row against the live count (`stackable insight verify`, and the tests): empty when they agree. Read in
   * one repeatable-read transaction, so a write committing meanwhile cannot make them look different.
   */
  async differences(within?: Db): Promise<FiguresDifference[]> {
    const compare = async (db: Db) => {
      const timeZone = await this.repository.builtTimeZone(db);
      if (timeZone === undefined) return [];
      const r = this.repository;
      const [keptBadges, liveBadges, keptEnrolments, liveEnrolments] = await Promise.all([
        r.storedBadgeDays(db),
        r.liveBadgeDays(db, timeZone),
        r.storedEnrolmentDays(db),
        r.liveEnrolmentDays(db),
      ]);
      const [keptBadgeMonths, liveBadgeMonths, keptEnrolmentMonths, liveEnrolmentMonths] = await Promise.all([
        r.storedBadgeMonths(db),
        r.liveBadgeMonths(db, timeZone),
        r.storedEnrolmentMonths(db),
        r.liveEnrolmentMonths(db),
      ]);
      const badgeKey = (r: BadgeDayRow) => `${r.program_id} ${r.day}`;
      const badgeValue = (r: BadgeDayRow) =>
        `issued ${r.issued}, claimed ${r.claimed}, shared ${r.shared}, revoked ${r.revoked}`;
      const enrolmentKey = (r: EnrolmentDayRow) => `${r.program_id} ${r.day} ${r.path}`;
      const enrolmentValue = (r: EnrolmentDayRow) => `${r.enrolments} enrolments`;
      return [
        ...diff('badge days', keptBadges, liveBadges, badgeKey, badgeValue),
        ...diff('enrolment days', keptEnrolments, liveEnrolments, enrolmentKey, enrolmentValue),
        ...diff('badge months', keptBadgeMonths, liveBadgeMonths, badgeKey, badgeValue),
        ...diff('enrolment months', keptEnrolmentMonths, liveEnrolmentMonths, enrolmentKey, enrolmentValue),
      ];
    };
    if (within) return compare(within);
    return this.database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute((trx) => compare(trx));
  }

  /**
   * The overview's counts from the kept rows, or undefined when they cannot answer (built in another time zone than
   * `timeZone` and not rebuilt yet), the caller then counting live.
   */
  async overviewCounts(filter: OverviewFilter, timeZone: string, wants: (key: OverviewCount) => boolean) {
    const db = this.database.db;
    if ((await this.repository.builtTimeZone(db)) !== timeZone) {
      await this.ensureBuilt();
      if ((await this.repository.builtTimeZone(db)) !== timeZone) return undefined;
    }
    const [badgesPerMonth, badges, paths] = await Promise.all([
      wants('months') ? this.repository.badgesPerMonth(db, filter) : [],
      wants('badges')
        ? this.repository.badgeCounts(db, filter)
        : { issued: 0, claimed: 0, shared: 0, revoked: 0 },
      wants('paths') ? this.repository.enrolmentPaths(db, filter) : [],
    ]);
    return { badgesPerMonth, badges, paths };
  }
}

export type OverviewCount = 'months' | 'badges' | 'paths';

function diff<Row>(
  table: FiguresDifference['table'],
  kept: readonly Row[],
  live: readonly Row[],
  keyOf: (row: Row) => string,
  numbersOf: (row: Row) => string,
): FiguresDifference[] {
  const keptBy = new Map(kept.map((r) => [keyOf(r), numbersOf(r)]));
  const liveBy = new Map(live.map((r) => [keyOf(r), numbersOf(r)]));
  const differences: FiguresDifference[] = [];
  for (const key of new Set([...keptBy.keys(), ...liveBy.keys()])) {
    const k = keptBy.get(key) ?? null;
    const l = liveBy.get(key) ?? null;
    if (k !== l) differences.push({ table, key, kept: k, live: l });
  }
  return differences.sort((a, b) => a.key.localeCompare(b.key));
}
