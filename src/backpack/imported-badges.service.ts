import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { readUploadedBadge } from '../verification/read-uploaded-badge.ts';
import type { VerificationReport, VerificationService } from '../verification/verification.service.ts';
import type { ImportedBadgesTable } from './backpack.tables.ts';
import { decideImport, factsOf } from './imported-badge.ts';
import { ImportedBadgesRepository } from './imported-badges.repository.ts';

type Verifier = Pick<VerificationService, 'verifyBytes' | 'verifyReference'>;

/** The e-mail addresses a badge may be addressed to for this person; the account's own by default. */
export type AddressesOf = (actor: Actor) => Promise<readonly string[]>;

const notFound = () => new AppError('NOT_FOUND', 'There is no such badge in your backpack.');

const downloads: Record<ImportedBadgesTable['source'], { type: string; extension: string }> = {
  png: { type: 'image/png', extension: 'png' },
  svg: { type: 'image/svg+xml', extension: 'svg' },
  json: { type: 'application/json', extension: 'json' },
  jwt: { type: 'application/jwt', extension: 'jwt' },
  link: { type: 'text/plain; charset=utf-8', extension: 'txt' },
};

/**
 * Badges a learner brings from other issuers (issue 19, point 4): checked by the same verifier as any badge, kept
 * as given, shown as "from another issuer", checked again on request. Only their owner sees or changes them.
 */
export class ImportedBadgesService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly verification: Verifier,
    private readonly clock: Clock,
    private readonly addressesOf: AddressesOf = async (actor) => [actor.email],
    private readonly repository = new ImportedBadgesRepository(),
  ) {}

  list(actor: Actor) {
    return this.repository.listOf(this.database.db, actor.id);
  }

  async find(actor: Actor, id: string) {
    const row = await this.repository.findOwned(this.database.db, actor.id, id);
    if (!row) throw notFound();
    return row;
  }

  /** A file or paste: a baked PNG or SVG, the badge JSON, or a VC-JWT. */
  async importFile(actor: Actor, bytes: Buffer): Promise<string> {
    const reading = readUploadedBadge(bytes);
    if (!reading.ok) throw refusal('file', reading.message);
    const report = await this.#verifyForRecipient(actor, (recipientEmail) =>
      this.verification.verifyBytes(bytes, { recipientEmail }),
    );
    return this.#keep(actor, report, reading.source, bytes, 'file');
  }

  /** The web address of a hosted badge (an Open Badges 2.0 assertion, or a 3.0 credential published online). */
  async importLink(actor: Actor, address: string): Promise<string> {
    const url = address.trim();
    if (!/^https:\/\/\S+$/.test(url))
      throw refusal('url', 'Give the badge’s full web address, starting with https://.');
    const report = await this.#verifyForRecipient(actor, (recipientEmail) =>
      this.verification.verifyReference(url, { recipientEmail }),
    );
    return this.#keep(actor, report, 'link', Buffer.from(url, 'utf8'), 'url');
  }

  /** Checks the badge again as it was given (a revoked or expired badge says so from then on). */
  async checkAgain(actor: Actor, id: string): Promise<void> {
    const row = await this.find(actor, id);
    const content = Buffer.from(row.content);
    const report = await this.#verifyForRecipient(actor, (recipientEmail) =>
      row.source === 'link'
        ? this.verification.verifyReference(content.toString('utf8'), { recipientEmail })
        : this.verification.verifyBytes(content, { recipientEmail }),
    );
    const facts = factsOf(report, content);
    await this.repository.update(
      this.database.db,
      row.id,
      { ...facts, fingerprint: row.fingerprint },
      this.clock.now(),
    );
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const row = await this.find(actor, id);
    await this.database.db.transaction().execute(async (trx) => {
      if (!(await this.repository.remove(trx, actor.id, id))) return;
      await this.audit.record(trx, actor, {
        action: 'backpack.badge_import_removed',
        entityType: 'imported_badge',
        entityId: id,
        before: { title: row.title, issuer: row.claimedIssuerName },
      });
    });
  }

  /** The badge as it was given, to download again. */
  async download(actor: Actor, id: string) {
    const row = await this.find(actor, id);
    const { type, extension } = downloads[row.source];
    return { type, filename: `imported-badge-${row.id}.${extension}`, body: Buffer.from(row.content) };
  }

  /**
   * Verifies with each of the person's addresses in turn until one is the badge's recipient: the verifier compares
   * one address at a time (an Open Badges 2.0 recipient is a salted hash of exactly one).
   */
  async #verifyForRecipient(
    actor: Actor,
    verify: (recipientEmail: string | undefined) => Promise<VerificationReport>,
  ): Promise<VerificationReport> {
    const addresses = await this.addressesOf(actor);
    let report: VerificationReport | undefined;
    for (const address of addresses.length > 0 ? addresses : [undefined]) {
      report = await verify(address);
      if (report.checks.find((check) => check.id === 'recipient')?.status !== 'failed') return report;
    }
    return report as VerificationReport;
  }

  async #keep(
    actor: Actor,
    report: VerificationReport,
    source: ImportedBadgesTable['source'],
    content: Buffer,
    field: 'file' | 'url',
  ): Promise<string> {
    const decision = decideImport(report, content);
    if (!decision.ok) throw refusal(field, decision.reason);
    const id = newId();
    await this.database.db.transaction().execute(async (trx) => {
      const added = await this.repository.insert(
        trx,
        { id, userId: actor.id, source, content, now: this.clock.now() },
        decision.facts,
      );
      if (!added)
        throw new AppError('CONFLICT', 'This badge is already in your backpack.', [
          { field, reason: 'duplicate' },
        ]);
      await this.audit.record(trx, actor, {
        action: 'backpack.badge_imported',
        entityType: 'imported_badge',
        entityId: id,
        after: {
          title: decision.facts.title,
          issuer: decision.facts.claimedIssuerName,
          signer: decision.facts.signer,
        },
      });
    });
    return id;
  }
}

const refusal = (field: string, reason: string) => new AppError('UNPROCESSABLE', reason, [{ field, reason }]);
