import { sql } from 'kysely';
import { credentialStatuses } from '../credentials/credentials.queries.ts';
import { learnerRows } from '../learners/learners.queries.ts';
import type { Db } from '../platform/db/database.ts';
import { programRows } from '../programs/programs.queries.ts';

/** An award whose credential expires soon, with whom to remind and what was sent already. */
export interface ExpiringAward {
  awardId: string;
  credentialId: string;
  validUntil: Date;
  learnerEmail: string;
  learnerName: string;
  programTitle: string;
  /** The reminder stages (days before expiry) already sent for this award. */
  sentDays: number[];
}

/** An award as renewal needs it: its learner, program, credential standing and place in a renewal chain. */
export interface RenewableAward {
  awardId: string;
  credentialId: string;
  learnerId: string;
  learnerUserId: string | null;
  programId: string;
  office: 'registrar' | 'credentials_office';
  creditMode: 'credit' | 'non_credit';
  issuedAt: Date;
  revokedAt: Date | null;
  renewedAt: Date | null;
  credentialStatus: 'active' | 'revoked' | 'suspended';
  validUntil: Date | null;
  programRequirement: unknown;
  renewalRequirement: unknown;
  validityYears: number | null;
}

/** One link of a badge's renewal chain, as the pages show it. */
export interface RenewalLink {
  credentialId: string;
  issuedAt: Date;
  validUntil: Date | null;
}

/** Awards with their credential's standing, their learner and their program, for the queries below. */
const awardsWithFacts = (db: Db) =>
  db
    .selectFrom('issued_awards as a')
    .innerJoin(credentialStatuses(db).as('c'), 'c.id', 'a.credential_id')
    .innerJoin(learnerRows(db).as('l'), 'l.id', 'a.learner_id')
    .innerJoin(programRows(db).as('p'), 'p.id', 'a.program_id');

/** SQL for expiry reminders and renewals (the issuing module's `issued_awards` and `expiry_reminders`). */
export class RenewalsRepository {
  /**
   * Standing awards (not revoked, not renewed, credential active) whose credential expires after `now` and no later
   * than `horizon`, with the reminder stages already sent.
   */
  async expiringAwards(db: Db, now: Date, horizon: Date): Promise<ExpiringAward[]> {
    const rows = await awardsWithFacts(db)
      .select([
        'a.id as awardId',
        'a.credential_id as credentialId',
        'c.valid_until as validUntil',
        'l.email as learnerEmail',
        'l.name as learnerName',
        'p.title as programTitle',
        sql<number[]>`coalesce((select array_agg(r.days_before) from expiry_reminders r
          where r.award_id = a.id), '{}')`.as('sentDays'),
      ])
      .where('a.revoked_at', 'is', null)
      .where('a.renewed_at', 'is', null)
      .where('c.status', '=', 'active')
      .where('c.valid_until', '>', now)
      .where('c.valid_until', '<=', horizon)
      .orderBy('c.valid_until')
      .execute();
    return rows.map((row) => ({
      ...row,
      validUntil: row.validUntil!,
      sentDays: (row.sentDays ?? []).map(Number),
    }));
  }

  /**
   * Records a reminder as sent; false when it was recorded already. The primary key decides, so two runs at once
   * cannot both send it.
   */
  async claimReminder(
    db: Db,
    row: { awardId: string; daysBefore: number; recipient: string; sentAt: Date },
  ): Promise<boolean> {
    const inserted = await db
      .insertInto('expiry_reminders')
      .values({
        award_id: row.awardId,
        days_before: row.daysBefore,
        recipient: row.recipient,
        sent_at: row.sentAt,
      })
      .onConflict((oc) => oc.columns(['award_id', 'days_before']).doNothing())
      .returning('award_id')
      .execute();
    return inserted.length > 0;
  }

  /** The reminders sent for an award, oldest first. */
  remindersOf(db: Db, awardId: string) {
    return db
      .selectFrom('expiry_reminders')
      .select(['days_before as daysBefore', 'recipient', 'sent_at as sentAt'])
      .where('award_id', '=', awardId)
      .orderBy('sent_at')
      .execute();
  }

  /**
   * The award a credential was issued for, undefined when there is none; with `lock`, locked for the renewal's
   * transaction (pages only read it).
   */
  async renewableAward(db: Db, credentialId: string, lock = false): Promise<RenewableAward | undefined> {
    const query = awardsWithFacts(db)
      .select([
        'a.id as awardId',
        'a.credential_id as credentialId',
        'a.learner_id as learnerId',
        'l.user_id as learnerUserId',
        'a.program_id as programId',
        'a.office',
        'a.credit_mode as creditMode',
        'a.issued_at as issuedAt',
        'a.revoked_at as revokedAt',
        'a.renewed_at as renewedAt',
        'c.status as credentialStatus',
        'c.valid_until as validUntil',
        'p.requirement as programRequirement',
        'p.renewal_requirement as renewalRequirement',
        'p.validity_years as validityYears',
      ])
      .where('a.credential_id', '=', credentialId);
    return (lock ? query.forUpdate('a') : query).executeTakeFirst();
  }

  /** Marks an award renewed; false when it was renewed or revoked meanwhile. */
  async markRenewed(db: Db, awardId: string, at: Date): Promise<boolean> {
    const updated = await db
      .updateTable('issued_awards')
      .set({ renewed_at: at })
      .where('id', '=', awardId)
      .where('renewed_at', 'is', null)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute();
    return updated.length > 0;
  }

  /**
   * The renewal chain a credential belongs to, oldest first: the awards it renews, itself, and the awards that
   * renewed it. Followed with a recursive query both ways.
   */
  async chainOf(db: Db, credentialId: string): Promise<RenewalLink[]> {
    const result = await sql<{ credential_id: string }>`
      with recursive
        self as (select id, renews_award_id from issued_awards where credential_id = ${credentialId}),
        back as (
          select a.id, a.renews_award_id from issued_awards a join self on a.id = self.renews_award_id
          union
          select a.id, a.renews_award_id from issued_awards a join back on a.id = back.renews_award_id
        ),
        forth as (
          select a.id from issued_awards a join self on a.renews_award_id = self.id
          union
          select a.id from issued_awards a join forth on a.renews_award_id = forth.id
        )
      select credential_id from issued_awards
       where id in (select id from self union select id from back union select id from forth)`.execute(db);
    const ids = result.rows.map((row) => row.credential_id);
    if (ids.length === 0) return [];
    const rows = await db
      .selectFrom('issued_awards as a')
      .innerJoin(credentialStatuses(db).as('c'), 'c.id', 'a.credential_id')
      .select(['a.credential_id as credentialId', 'a.issued_at as issuedAt', 'c.valid_until as validUntil'])
      .where('a.credential_id', 'in', ids)
      .orderBy('a.issued_at')
      .orderBy('a.id')
      .execute();
    return rows;
  }
}
