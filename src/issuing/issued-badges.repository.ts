import { sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import { backpackClaims } from '../backpack/backpack.queries.ts';
import { credentialStatuses } from '../credentials/credentials.queries.ts';
import type { CredentialStatusName, RevocationCategory } from '../credentials/status-names.ts';
import type { Db } from '../platform/db/database.ts';
import { programNames } from '../programs/programs.queries.ts';
import type { AwardStatus } from '../progress/award-status.ts';
import { awardsJoined } from './issuing.repository.ts';
import type { AwardSource, CreditMode, Office } from './issuing.tables.ts';

/** What the register of issued badges asks for: the offices the person works in, and optional narrowing. */
/** The statuses an issued badge can be in, as the learner's pages name them. */
export type RegisterStatus = Extract<AwardStatus, 'issued' | 'claimed' | 'suspended' | 'revoked'>;

export interface IssuedBadgesFilter {
  offices: readonly Office[];
  /** Part of a learner's name, e-mail or student id, or a credential id. */
  search?: string;
  programSlug?: string;
  /** A badge's status as every page words it (awardStatusOf): issued and claimed are both active credentials. */
  status?: RegisterStatus;
  limit: number;
  offset: number;
}

/** One issued badge as the offices see it: the award, the credential's status, the claim and the fee. */
export interface IssuedBadgeRow {
  credentialId: string;
  learnerName: string;
  learnerEmail: string;
  studentId: string;
  /** The account linked to the learner's record, if any: a member of staff may hold the badge. */
  holderUserId: string | null;
  programSlug: string;
  programTitle: string;
  office: Office;
  creditMode: CreditMode;
  source: AwardSource;
  term: string | null;
  issuedAt: Date;
  /** Set when a newer award renewed this one. */
  renewedAt: Date | null;
  /** The credential's validUntil; null when it does not expire. */
  validUntil: Date | null;
  issuedByName: string | null;
  status: CredentialStatusName;
  statusReason: string | null;
  statusChangedAt: Date | null;
  claimedAt: Date | null;
  /** The learner's answer (issue 19): the badge is shared only once accepted; null without a backpack record. */
  acceptance: 'pending' | 'accepted' | 'declined' | null;
  /** The account the badge was claimed into (for staff: who claimed it, and whether that was the addressee). */
  claimedByName: string | null;
  claimedByEmail: string | null;
  /** The address the claim mail went to. */
  sentTo: string | null;
  isPublic: boolean;
  revocationCategory: RevocationCategory | null;
  feeChargeId: string | null;
  feeStatus: 'posted' | 'waived' | 'reversed' | null;
  feeCents: number | null;
}

// `%` and `_` in what a person types are meant literally.
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The awards with their credential's status and the learner's claim besides. */
function joined(db: Db) {
  return awardsJoined(db)
    .innerJoin(credentialStatuses(db).as('c'), 'c.id', 'a.credential_id')
    .leftJoin(backpackClaims(db).as('b'), 'b.credential_id', 'a.credential_id')
    .leftJoin(userNames(db).as('cu'), 'cu.id', 'b.claimed_by_user_id');
}

function withColumns(query: ReturnType<typeof joined>) {
  return query.select([
    'a.credential_id as credentialId',
    'l.name as learnerName',
    'l.email as learnerEmail',
    'l.student_id as studentId',
    'l.user_id as holderUserId',
    'p.slug as programSlug',
    'p.title as programTitle',
    'a.office',
    'a.credit_mode as creditMode',
    'a.source',
    'a.term',
    'a.issued_at as issuedAt',
    'a.renewed_at as renewedAt',
    'c.valid_until as validUntil',
    'u.name as issuedByName',
    'c.status',
    'c.status_reason as statusReason',
    'c.status_changed_at as statusChangedAt',
    'c.is_public as isPublic',
    'b.claimed_at as claimedAt',
    'b.acceptance as acceptance',
    'cu.name as claimedByName',
    'cu.email as claimedByEmail',
    'b.learner_email as sentTo',
    'b.revocation_category as revocationCategory',
    'f.id as feeChargeId',
    'f.status as feeStatus',
    'f.amount_cents as feeCents',
  ]);
}

/** SQL for the register of issued badges (awards joined with their credential, claim and fee). */
export class IssuedBadgesRepository {
  #filtered(db: Db, filter: Omit<IssuedBadgesFilter, 'limit' | 'offset'>) {
    let query = joined(db).where('a.office', 'in', [...filter.offices]);
    const search = filter.search?.trim();
    if (search) {
      const pattern = likePattern(search);
      query = query.where((eb) =>
        eb.or([
          eb('l.name', 'ilike', pattern),
          eb('l.email', 'ilike', pattern),
          eb('l.student_id', 'ilike', pattern),
          eb(sql<string>`a.credential_id::text`, '=', search.toLowerCase().replace(/^urn:uuid:/, '')),
        ]),
      );
    }
    if (filter.programSlug) query = query.where('p.slug', '=', filter.programSlug);
    if (filter.status === 'issued' || filter.status === 'claimed') {
      query = query
        .where('c.status', '=', 'active')
        .where('b.claimed_at', filter.status === 'claimed' ? 'is not' : 'is', null);
    } else if (filter.status) {
      query = query.where('c.status', '=', filter.status);
    }
    return query;
  }

  async search(db: Db, filter: IssuedBadgesFilter): Promise<{ rows: IssuedBadgeRow[]; total: number }> {
    if (filter.offices.length === 0) return { rows: [], total: 0 };
    const counted = await this.#filtered(db, filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const rows = await withColumns(this.#filtered(db, filter))
      .orderBy('a.issued_at', 'desc')
      .orderBy('a.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
    return { rows, total: Number(counted.n) };
  }

  find(db: Db, credentialId: string): Promise<IssuedBadgeRow | undefined> {
    return withColumns(joined(db).where('a.credential_id', '=', credentialId)).executeTakeFirst();
  }

  /** A revoked credential's award (and tracking-list row) stop counting, so the learner may be issued again. */
  async officeOf(db: Db, credentialId: string): Promise<Office | undefined> {
    const row = await db
      .selectFrom('issued_awards')
      .select('office')
      .where('credential_id', '=', credentialId)
      .executeTakeFirst();
    return row?.office;
  }

  async markRevoked(db: Db, credentialId: string, at: Date): Promise<void> {
    await db
      .updateTable('issued_awards')
      .set({ revoked_at: at })
      .where('credential_id', '=', credentialId)
      .where('revoked_at', 'is', null)
      .execute();
    await db
      .updateTable('tracking_list_rows')
      .set({ revoked_at: at })
      .where('credential_id', '=', credentialId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** The programs that have issued badges in these offices, for the register's filter. */
  programsWithBadges(db: Db, offices: readonly Office[]) {
    if (offices.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('issued_awards as a')
      .innerJoin(programNames(db).as('p'), 'p.id', 'a.program_id')
      .where('a.office', 'in', [...offices])
      .select(['p.slug', 'p.title'])
      .distinct()
      .orderBy('p.title')
      .execute();
  }
}
