import type { StatusChange } from '../credentials/credential-status.ts';
import { allowedStatusChanges, isOwnBadge, OWN_BADGE_REFUSAL } from '../credentials/credentials.policy.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';
import { revocationCategories } from '../credentials/status-names.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { type FieldProblem, invalid, notFound } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import {
  type IssuedBadgeRow,
  IssuedBadgesRepository,
  type RegisterStatus,
} from './issued-badges.repository.ts';
import { officesOf } from './offices.ts';
import { type RenewalLink, RenewalsRepository } from './renewals.repository.ts';

export const PAGE_SIZE = 50;

/** The register's status filter, in the words the learner's pages use (awardStatusOf). */
export const registerStatuses: readonly RegisterStatus[] = ['issued', 'claimed', 'suspended', 'revoked'];
export const statusChanges: readonly StatusChange[] = ['revoke', 'suspend', 'reinstate'];

export interface RegisterQuery {
  search?: string;
  program?: string;
  status?: string;
  page?: number;
}

/** What a person asks for on a badge's record: a change of status, a reason, and for revocation a category. */
export interface StatusChangeForm {
  change: string;
  reason: string;
  category?: string;
}

/**
 * The offices' register of the badges they issued: find a badge by learner, program or status, open its record,
 * and revoke, suspend or reinstate it with a reason (the credentials module changes the status list and tells the
 * learner). Each office sees only the badges it issued.
 */
export class IssuedBadgesService {
  constructor(
    private readonly database: Database,
    private readonly credentials: CredentialsService,
    private readonly clock: Clock,
    private readonly repository = new IssuedBadgesRepository(),
    private readonly renewals = new RenewalsRepository(),
  ) {}

  /** Called inside the revoking transaction (any revocation: this page, the API or the command line). */
  async onCredentialRevoked(trx: Db, event: { credentialId: string; revokedAt: Date }): Promise<void> {
    await this.repository.markRevoked(trx, event.credentialId, event.revokedAt);
  }

  async register(actor: Actor, query: RegisterQuery) {
    const offices = officesOf(actor);
    const status = registerStatuses.find((s) => s === query.status);
    const page = Math.max(1, Math.floor(query.page ?? 1));
    const filter = {
      offices,
      search: query.search?.trim() || undefined,
      programSlug: query.program || undefined,
      status,
    };
    const db = this.database.db;
    const { rows, total } = await this.repository.search(db, {
      ...filter,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    return {
      rows,
      total,
      page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      filter: { search: filter.search ?? '', program: filter.programSlug ?? '', status: status ?? '' },
      programs: await this.repository.programsWithBadges(db, offices),
    };
  }

  /**
   * One badge's record, if it was issued by an office this person works in, with the status changes the
   * credentials module's policy lets them make (the API asks the same policy).
   */
  async find(
    actor: Actor,
    credentialId: string,
  ): Promise<
    IssuedBadgeRow & {
      allowedChanges: StatusChange[];
      ownBadgeRefusal: string | undefined;
      isSuspensionOff: boolean;
      isExpired: boolean;
      renews: RenewalLink | null;
      renewedBy: RenewalLink | null;
    }
  > {
    const row = isUuid(credentialId)
      ? await this.repository.find(this.database.db, credentialId.toLowerCase())
      : undefined;
    if (!row || !officesOf(actor).includes(row.office)) throw notFound('That badge');
    // Suspending is an institution setting (OB 3.0 gives a badge one status entry); the service refuses it too.
    const isSuspensionOff = !(await this.credentials.isSuspensionAllowed());
    const holder = { holderUserId: row.holderUserId, holderEmail: row.learnerEmail };
    const allowedChanges = allowedStatusChanges(actor, { ...row, ...holder }).filter(
      (change) => change !== 'suspend' || !isSuspensionOff,
    );
    // Where the badge stands in its renewal chain (the award it renews, and the one that renewed it).
    const chain = await this.renewals.chainOf(this.database.db, row.credentialId);
    const at = chain.findIndex((link) => link.credentialId === row.credentialId);
    const isExpired = row.validUntil !== null && this.clock.now().getTime() > row.validUntil.getTime();
    return {
      ...row,
      allowedChanges,
      // Said on the page, so a member of staff who holds the badge knows why there are no status forms.
      ownBadgeRefusal: isOwnBadge(actor, holder) ? OWN_BADGE_REFUSAL : undefined,
      isSuspensionOff,
      isExpired,
      renews: at > 0 ? chain[at - 1]! : null,
      renewedBy: at >= 0 ? (chain[at + 1] ?? null) : null,
    };
  }

  async changeStatus(actor: Actor, credentialId: string, form: StatusChangeForm): Promise<StatusChange> {
    await this.find(actor, credentialId);
    const problems: FieldProblem[] = [];
    const change = statusChanges.find((c) => c === form.change);
    if (!change) problems.push({ field: 'change', reason: 'must be revoke, suspend or reinstate' });
    const category = revocationCategories.find((c) => c === form.category);
    if (change === 'revoke' && !category) {
      problems.push({ field: 'category', reason: 'is required when revoking: choose the closest one' });
    }
    const reason = form.reason.trim();
    if (reason === '') problems.push({ field: 'reason', reason: 'is required' });
    else if (reason.length > 500)
      problems.push({ field: 'reason', reason: 'must be at most 500 characters' });
    if (problems.length > 0 || !change) throw invalid(problems);
    await this.credentials.changeStatus(
      actor,
      credentialId.toLowerCase(),
      change,
      reason,
      change === 'revoke' ? { category } : {},
    );
    return change;
  }
}
