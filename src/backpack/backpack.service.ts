import type { AccountEmailsService } from '../accounts/account-emails.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { bakePng } from '../credentials/bake-png.ts';
import { bakeSvg } from '../credentials/bake-svg.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';
import { renderQrSvg } from '../credentials/qr-code.ts';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { readTogether } from '../platform/db/read-together.ts';
import { AppError, type FieldProblem, invalid, notFound } from '../platform/errors.ts';
import type { EventPublisher } from '../platform/events.ts';
import { formatDate } from '../platform/http/moment.ts';
import { isUuid } from '../platform/ids.ts';
import type { VerificationReport, VerificationService } from '../verification/verification.service.ts';
import type { BackpackEvents } from './backpack.events.ts';
import { revocationMail } from './backpack.mail.ts';
import type { BackpackRepository } from './backpack.repository.ts';
import type { Acceptance, BackpackItemRow, RevocationCategory } from './backpack.tables.ts';
import { type BadgeFacts, badgeFacts } from './badge-view.ts';
import type { ClaimsService } from './claims.service.ts';
import type { MailTemplatesService } from './mail-templates.service.ts';
import { ourRecordFrom } from './our-badge.ts';

/** What issuing hands over after each credential, inside its own transaction. */
export interface CredentialIssuedEvent {
  credentialId: string;
  learnerEmail: string;
  learnerName?: string | null;
  programTitle: string;
}

/** What revoking hands over, inside the transaction that revoked the credential. */
export interface CredentialRevokedEvent {
  credentialId: string;
  /** The reason staff gave; it goes to the learner, never onto the public page. */
  reason: string;
  revokedAt: Date;
  /** A category that may be shown publicly; none means the page only says "revoked". */
  category?: RevocationCategory | null;
}

/** One badge in a backpack. */
export interface BackpackBadge extends BadgeFacts {
  isClaimed: boolean;
  /** The learner's answer: nothing about the badge is shared until it is accepted. */
  acceptance: Acceptance;
  claimedAt: Date | null;
  /**
   * Whether a VC-JWT copy was issued to download (the institution may issue JSON-LD only), as the verify page's
   * `OurBadge.hasJwt` says it: the credential row holds one.
   */
  hasJwt: boolean;
  /** The QR code of the public page (SVG markup from our own renderer), absent for revoked badges. */
  qrSvg: string | null;
}

/** The public page of a badge, with the live result of verifying its stored credential. */
export interface PublicBadge extends BadgeFacts {
  verification: VerificationReport;
  /** The viewer is the badge's learner (they alone see it while it is hidden). */
  isOwner: boolean;
  /** The learner's answer (a badge not accepted is shown to them alone). */
  acceptance: Acceptance;
}

export type DownloadFormat = 'png' | 'svg' | 'json' | 'jwt';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The backpack record of an issued credential; refuses an event that cannot make a claim mail. */
function issuedItem(event: CredentialIssuedEvent) {
  const problems: FieldProblem[] = [];
  if (!isUuid(event.credentialId)) problems.push({ field: 'credentialId', reason: 'is not a credential id' });
  if (!EMAIL.test(event.learnerEmail.trim()))
    problems.push({ field: 'learnerEmail', reason: 'must be an e-mail address' });
  if (event.programTitle.trim() === '') problems.push({ field: 'programTitle', reason: 'is required' });
  if (problems.length > 0) throw invalid(problems, 'The claim mail could not be prepared.');
  return {
    credentialId: event.credentialId.toLowerCase(),
    learnerEmail: event.learnerEmail.trim(),
    learnerName: event.learnerName?.trim() || null,
    programTitle: event.programTitle.trim(),
  };
}

/** A badge is the person's once claimed into their account, or while it waits under an address they proved. */
const ownedBy = (item: BackpackItemRow, userId: string, addresses: readonly string[]): boolean =>
  item.claimed_by_user_id === userId ||
  (item.claimed_at === null &&
    addresses.some((a) => a.trim().toLowerCase() === item.learner_email.trim().toLowerCase()));

/** What the public is told about a badge whose learner has not accepted it: nothing about them. */
const notShared = () =>
  new AppError(
    'NOT_FOUND',
    'Its earner has not shared this badge. Someone holding the badge file can still check it on the verify page.',
  );

/**
 * The learner's backpack: what happens when a badge is issued (claim mail) or revoked (notice), the badges a
 * person holds and what they may do with them, and each badge's public page.
 */
export class BackpackService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly credentials: CredentialsService,
    private readonly verification: VerificationService,
    private readonly institution: InstitutionService,
    readonly claims: ClaimsService,
    readonly templates: MailTemplatesService,
    private readonly clock: Clock,
    private readonly settings: { publicUrl: string },
    private readonly repository: BackpackRepository,
    /** Which addresses' waiting badges belong to an account without a claim link: those it has proven. */
    private readonly addresses: Pick<AccountEmailsService, 'provenAddressesOf'>,
    private readonly events: EventPublisher<BackpackEvents>,
  ) {}

  /** A badge page's backpack item: pages requested at the same time share one query (read-together.ts). */
  readonly #pageItemOf = readTogether(
    (credentialIds) => this.repository.findItems(this.database.db, credentialIds),
    (item) => item.credential_id,
  );

  /**
   * Called by issuing inside the transaction that issued the credential: records the badge for its learner and
   * queues the claim mail with a fresh link. Calling it twice for one credential does nothing the second time.
   */
  async onCredentialIssued(trx: Db, event: CredentialIssuedEvent): Promise<void> {
    const item = issuedItem(event);
    if (!(await this.repository.insertItem(trx, item))) return;
    const stored = await this.repository.findItem(trx, item.credentialId);
    const institution = await this.institution.findWithin(trx);
    await this.claims.sendClaimMail(trx, stored!, institution?.name ?? 'Stackable');
  }

  /**
   * The same for many credentials issued together (a tracking list's chunk), with a few statements for all
   * of them. Credentials already recorded are skipped, as above.
   */
  async onCredentialsIssued(trx: Db, events: readonly CredentialIssuedEvent[]): Promise<void> {
    const items = events.map(issuedItem);
    if (items.length === 0) return;
    const added = await this.repository.insertItems(trx, items);
    const institution = await this.institution.findWithin(trx);
    await this.claims.sendClaimMails(trx, added, institution?.name ?? 'Stackable');
  }

  /**
   * Called inside the transaction that revoked a credential: keeps the public category and tells the learner,
   * at the address the badge was sent to. Badges issued outside the backpack (no record) are left alone.
   */
  async onCredentialRevoked(trx: Db, event: CredentialRevokedEvent): Promise<void> {
    const item = await this.repository.findItem(trx, event.credentialId.toLowerCase());
    if (!item) return;
    await this.repository.setRevocationCategory(trx, item.credential_id, event.category ?? null);
    const institution = await this.institution.findWithin(trx);
    await this.notifications.queueMail(trx, {
      ...revocationMail({
        to: item.learner_email,
        learnerName: item.learner_name,
        programTitle: item.program_title,
        reason: event.reason,
        revokedOn: formatDate(event.revokedAt, this.institution.displayOf(institution).timeZone),
        institutionName: institution?.name ?? 'The institution',
        institutionEmail: institution?.email ?? 'the credentials office',
        backpackUrl: `${this.settings.publicUrl}/backpack`,
      }),
      kind: 'badge_revoked',
    });
  }

  /** The signed-in person's badges: claimed ones and those still waiting under their e-mail address. */
  async list(actor: Actor): Promise<BackpackBadge[]> {
    const addresses = await this.addresses.provenAddressesOf(this.database.db, actor.id);
    const items = await this.repository.itemsOf(this.database.db, actor.id, addresses);
    const badges: BackpackBadge[] = [];
    for (const item of items) {
      const row = await this.credentials.find(item.credential_id);
      if (!row) continue;
      const facts = badgeFacts(row, item, this.settings.publicUrl, this.clock.now());
      badges.push({
        ...facts,
        isClaimed: item.claimed_at !== null,
        acceptance: item.acceptance,
        claimedAt: item.claimed_at,
        hasJwt: row.jwt !== null,
        qrSvg: facts.status === 'revoked' ? null : await renderQrSvg(facts.pageUrl),
      });
    }
    return badges;
  }

  /**
   * Accepts a badge: from then on its public page names the learner (if they let it) and it may go on their
   * profile. A badge still waiting under one of their addresses is claimed into the account at the same time.
   */
  async accept(actor: Actor, credentialId: string): Promise<void> {
    const item = await this.#owned(actor, credentialId);
    if (!item.claimed_at) return this.claimWaiting(actor, credentialId);
    await this.#answer(actor, item, 'accepted');
  }

  /** Declines a badge: it is shared nowhere and left off the profile, and may still be accepted later. */
  async decline(actor: Actor, credentialId: string): Promise<void> {
    await this.#answer(actor, await this.#owned(actor, credentialId), 'declined');
  }

  async #answer(actor: Actor, item: BackpackItemRow, acceptance: Acceptance): Promise<void> {
    if (item.acceptance === acceptance) return;
    await this.database.db.transaction().execute(async (trx) => {
      await this.repository.setAcceptance(trx, item.credential_id, acceptance, this.clock.now());
      await this.events.publish(trx, 'badge.acceptance_changed', {
        credentialId: item.credential_id,
        acceptance,
        claimed: item.claimed_at !== null,
      });
      await this.audit.record(trx, actor, {
        action: acceptance === 'accepted' ? 'backpack.accepted' : 'backpack.declined',
        entityType: 'credential',
        entityId: item.credential_id,
        before: { acceptance: item.acceptance },
        after: { acceptance },
      });
    });
  }

  /** Claims (and so accepts) a badge waiting under one of the person's addresses straight from the backpack. */
  async claimWaiting(actor: Actor, credentialId: string): Promise<void> {
    const item = await this.#owned(actor, credentialId);
    if (item.claimed_at) return;
    const now = this.clock.now();
    await this.database.db.transaction().execute(async (trx) => {
      if (!(await this.repository.markClaimed(trx, item.credential_id, actor.id, now))) return;
      await this.events.publish(trx, 'badge.acceptance_changed', {
        credentialId: item.credential_id,
        acceptance: 'accepted',
        claimed: true,
      });
      await this.repository.expireTokensOf(trx, item.credential_id, now);
      await this.audit.record(trx, actor, {
        action: 'backpack.claimed',
        entityType: 'credential',
        entityId: item.credential_id,
        after: { userId: actor.id, sentTo: item.learner_email, from: 'backpack' },
      });
    });
  }

  /** Shows or hides the badge's public page and public downloads (audited by the credentials service). */
  async setPublic(actor: Actor, credentialId: string, isPublic: boolean): Promise<void> {
    const item = await this.#owned(actor, credentialId);
    await this.credentials.setPublic(actor, item.credential_id, isPublic);
  }

  /** Whether the public page names the learner. */
  async setShowName(actor: Actor, credentialId: string, showName: boolean): Promise<void> {
    const item = await this.#owned(actor, credentialId);
    if (item.show_name === showName) return;
    await this.database.db.transaction().execute(async (trx) => {
      await this.repository.setShowName(trx, item.credential_id, showName);
      await this.audit.record(trx, actor, {
        action: 'backpack.name_visibility_changed',
        entityType: 'credential',
        entityId: item.credential_id,
        before: { showName: item.show_name },
        after: { showName },
      });
    });
  }

  /**
   * One of the person's badges as a file: baked into its artwork (PNG or SVG), or the credential itself (JSON-LD
   * or VC-JWT). Works while the public page is hidden, unlike the public download addresses.
   */
  async download(actor: Actor, credentialId: string, format: DownloadFormat) {
    const item = await this.#owned(actor, credentialId);
    const row = await this.credentials.find(item.credential_id);
    if (!row) throw notFound('That badge');
    const filename = `badge-${row.id}.${format}`;
    if (format === 'json')
      return { filename, type: 'application/vc+ld+json', body: JSON.stringify(row.json) };
    if (format === 'jwt') {
      // Issued while the institution made no VC-JWT copies: there is only the JSON-LD credential.
      if (row.jwt === null) throw notFound('A VC-JWT copy of that badge');
      return { filename, type: 'application/vc+jwt', body: row.jwt };
    }
    const artwork = await this.credentials.programArtwork(row.program_slug);
    if (!artwork) throw notFound('That badge’s artwork');
    const text = JSON.stringify(row.json);
    return format === 'png'
      ? { filename, type: 'image/png', body: Buffer.from(bakePng(await artwork.png(), text)) }
      : { filename, type: 'image/svg+xml; charset=utf-8', body: bakeSvg(artwork.svg, text) };
  }

  /**
   * A badge's public page, verified live from the stored credential. A hidden badge is not found for anyone
   * but its learner, so hiding it leaves nothing to discover.
   */
  async publicBadge(viewer: Actor | null, credentialId: string): Promise<PublicBadge> {
    if (!isUuid(credentialId)) throw notFound('That badge');
    const row = await this.credentials.findShown(credentialId);
    if (!row) throw notFound('That badge');
    const item = await this.#pageItemOf(row.id);
    const isOwner =
      item !== undefined &&
      viewer !== null &&
      ownedBy(item, viewer.id, await this.addresses.provenAddressesOf(this.database.db, viewer.id));
    if (!row.is_public && !isOwner) throw notFound('That badge');
    // Badges issued outside the backpack (no record, nobody to answer) keep the page they always had.
    const acceptance = item?.acceptance ?? 'accepted';
    if (acceptance !== 'accepted' && !isOwner) throw notShared();
    // The verifier's record of the badge comes from the two rows just read, not from a third read of them.
    const ourRecord = ourRecordFrom({
      ...row,
      show_name: item?.show_name ?? null,
      acceptance: item?.acceptance ?? null,
    });
    // The facts are read before the checks, which are then given the row's JSON as their own: the driver has just
    // parsed it from the database's text, so the JSON round trip that protects a caller's object would only copy it.
    const facts = badgeFacts(row, item, this.settings.publicUrl, this.clock.now());
    const verification = await this.verification.verifyObject(row.json, {
      freshJson: true,
      ourRecord: { id: row.id, record: ourRecord },
    });
    return {
      ...facts,
      verification,
      isOwner,
      acceptance,
    };
  }

  async #owned(actor: Actor, credentialId: string): Promise<BackpackItemRow> {
    const item = isUuid(credentialId)
      ? await this.repository.findItem(this.database.db, credentialId.toLowerCase())
      : undefined;
    const addresses = item ? await this.addresses.provenAddressesOf(this.database.db, actor.id) : [];
    if (!item || !ownedBy(item, actor.id, addresses)) throw notFound('That badge');
    return item;
  }
}
