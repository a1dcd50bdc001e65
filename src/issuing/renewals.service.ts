import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import { type Clock, isoDate } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import { forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import { formatDay } from '../platform/http/moment.ts';
import { isUuid } from '../platform/ids.ts';
import { isIssuable } from '../programs/program-vocabulary.ts';
import type { ProgressService } from '../progress/progress.service.ts';
import { expiryStandingOf, furthestReminderDays } from './award-expiry.ts';
import type { AwardIssuer, IssuedAward } from './award-issuer.ts';
import { mayRenewAward } from './issuing.policy.ts';
import type { IssuingRepository } from './issuing.repository.ts';
import type { RenewalLink, RenewalsRepository } from './renewals.repository.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the backpack shows about renewing one badge. */
export interface RenewalStanding {
  /** The badge's renewal chain, oldest first (just the badge itself when it was never renewed). */
  chain: RenewalLink[];
  /** The credential that renewed this one, if any. */
  renewedBy: string | null;
  /** The credential this one renews, if any. */
  renews: string | null;
  /** Whether the renewal button is offered now (the badge expires, is standing, and its renewal window is open). */
  canAskToRenew: boolean;
  /** The day renewal opens, for a badge whose window is not open yet. */
  opensOn: Date | null;
}

/**
 * Renewal of expiring badges (issue 19, point 7). A learner (or the office, for them) asks; the program's renewal
 * requirement (or, without one, its own requirement) is measured on work done after the award only; when it holds,
 * a new credential is issued through the one award path (AwardIssuer), naming the old one in its `evidence`, and
 * the old award is marked renewed (not revoked) in the same transaction.
 */
export class RenewalsService {
  constructor(
    private readonly database: Database,
    private readonly issuer: AwardIssuer,
    private readonly progress: ProgressService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly repository: RenewalsRepository,
    private readonly issuing: IssuingRepository,
    private readonly settings: { publicUrl: string },
  ) {}

  /** Renews the badge `credentialId` names, or says clearly why it cannot be renewed (yet). */
  async renew(actor: Actor, credentialId: string): Promise<IssuedAward> {
    if (!isUuid(credentialId)) throw notFound('That badge');
    return this.database.db.transaction().execute(async (trx) => {
      const award = await this.repository.renewableAward(trx, credentialId, true);
      if (!award) throw notFound('That badge');
      if (!mayRenewAward(actor, award))
        throw forbidden('Only the badge’s earner or its office can renew it.');
      if (award.revokedAt || award.credentialStatus === 'revoked') {
        throw invalidState('This badge was revoked, so it cannot be renewed.');
      }
      if (award.credentialStatus === 'suspended') {
        throw invalidState(
          'This badge is suspended, so it cannot be renewed until the suspension is lifted.',
        );
      }
      if (award.renewedAt) throw invalidState('This badge was already renewed.');
      if (!award.validUntil) throw invalidState('This badge does not expire, so it needs no renewal.');
      const now = this.clock.now();
      const opensOn = renewalOpensOn(award.validUntil);
      if (now < opensOn) {
        throw invalidState(`This badge can be renewed from ${formatDay(opensOn)}.`);
      }
      const [program] = await this.issuing.programsByIds(trx, [award.programId]);
      const [learner] = await this.issuing.learnersByIds(trx, [award.learnerId]);
      if (!program || !learner) throw notFound('That badge');
      if (!isIssuable(program.status)) {
        throw invalidState(`${program.title} is no longer offered, so its badge cannot be renewed.`);
      }
      const awardedOn = isoDate(award.issuedAt);
      const rule = award.renewalRequirement ?? award.programRequirement;
      const measured = await this.progress.measureRenewal(
        trx,
        award.learnerId,
        award.programId,
        rule,
        awardedOn,
      );
      if (!measured.met) {
        throw invalid(
          [
            {
              field: 'renewal',
              reason: `needs work done after ${formatDay(award.issuedAt)}: ${measured.explanation}`,
            },
          ],
          `The ${program.title} badge cannot be renewed yet.`,
        );
      }
      if (!(await this.repository.markRenewed(trx, award.awardId, now))) {
        throw invalidState('This badge was already renewed.');
      }
      const issued = await this.issuer.issue(trx, actor, {
        learner,
        program,
        office: award.office,
        creditMode: award.creditMode,
        source: { kind: 'renewal', renewsAwardId: award.awardId },
        evidence: [
          renewalEvidence(award.credentialId, award.issuedAt, program.title, this.settings.publicUrl),
        ],
        // The program's fee was charged when the badge was first issued; a renewal is not charged again.
        feeWaiverReason: 'Renewal of an earlier badge',
      });
      await this.audit.record(trx, actor, {
        action: 'badge.renewed',
        entityType: 'issued_award',
        entityId: award.awardId,
        after: { credentialId: award.credentialId, renewedBy: issued.credentialId, awardedOn },
      });
      return issued;
    });
  }

  /** The renewal facts of one badge, for the learner's and the offices' pages. */
  async standingOf(credentialId: string): Promise<RenewalStanding> {
    const db = this.database.db;
    if (!isUuid(credentialId)) throw notFound('That badge');
    const [chain, award] = await Promise.all([
      this.repository.chainOf(db, credentialId),
      this.repository.renewableAward(db, credentialId),
    ]);
    const at = chain.findIndex((link) => link.credentialId === credentialId);
    const renewedBy = at >= 0 ? (chain[at + 1]?.credentialId ?? null) : null;
    const renews = at > 0 ? (chain[at - 1]?.credentialId ?? null) : null;
    const opensOn = award?.validUntil ? renewalOpensOn(award.validUntil) : null;
    const standing = award
      ? expiryStandingOf(award.validUntil, this.clock.now())
      : { kind: 'never' as const };
    const canAskToRenew =
      !!award &&
      standing.kind !== 'never' &&
      !award.revokedAt &&
      !award.renewedAt &&
      award.credentialStatus === 'active' &&
      opensOn !== null &&
      this.clock.now() >= opensOn;
    return { chain, renewedBy, renews, canAskToRenew, opensOn: canAskToRenew ? null : opensOn };
  }
}

/** Renewal opens when the first reminder goes out: early enough to take a refresher course before expiry. */
export const renewalOpensOn = (validUntil: Date): Date =>
  new Date(validUntil.getTime() - furthestReminderDays() * DAY_MS);

/**
 * How a renewal names the badge it renews. Open Badges 3.0 has no "renews" property, and its schema lets an
 * AchievementCredential carry `evidence`; an Evidence entry whose `id` is the earlier credential's id (and whose
 * narrative gives its public page) links the two for any reader, without an extension or a context of our own.
 */
export function renewalEvidence(
  oldCredentialId: string,
  awardedAt: Date,
  programTitle: string,
  publicUrl: string,
) {
  return {
    id: `urn:uuid:${oldCredentialId}`,
    name: 'Renewal of an earlier badge',
    genre: 'Renewal',
    description: `This badge renews the ${programTitle} badge issued on ${isoDate(awardedAt)}.`,
    narrative: `Renews ${publicUrl}/badges/${oldCredentialId}`,
  };
}
