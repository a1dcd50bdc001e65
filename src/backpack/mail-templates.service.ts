import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { forbidden, invalid } from '../platform/errors.ts';
import { claimMail } from './backpack.mail.ts';
import { mayDo, TEMPLATE_REFUSAL } from './backpack.policy.ts';
import { BackpackRepository } from './backpack.repository.ts';
import { defaultClaimTemplate, type MailTemplate, sampleValues, templateProblems } from './mail-template.ts';

/** The template in force: the office's edited one, or the default in code. */
export interface CurrentTemplate {
  template: MailTemplate;
  isDefault: boolean;
  updatedAt: Date | null;
}

/** The claim mail template: read (inside any transaction), edited, previewed and reset by the credentials office. */
export class MailTemplatesService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: { publicUrl: string },
    private readonly repository = new BackpackRepository(),
  ) {}

  /** The claim template in force, read through `db` so issuing can use it inside its own transaction. */
  async claimTemplate(db: Db = this.database.db): Promise<CurrentTemplate> {
    const row = await this.repository.findTemplate(db, 'badge_claim');
    if (!row) return { template: defaultClaimTemplate, isDefault: true, updatedAt: null };
    return {
      template: { subject: row.subject, text: row.text_body, html: row.html_body },
      isDefault: false,
      updatedAt: row.updated_at,
    };
  }

  /** Fills a draft in with example values; a draft with problems is refused, field by field. */
  preview(draft: MailTemplate, institutionName: string): MailTemplate {
    const problems = templateProblems(draft);
    if (problems.length > 0) throw invalid(problems, 'The template needs attention before it can be shown.');
    const filled = claimMail('', draft, sampleValues(institutionName, this.settings.publicUrl));
    return { subject: filled.subject, text: filled.text, html: filled.html ?? '' };
  }

  /** Saves the office's version of the claim mail; every later claim mail uses it. */
  async save(actor: Actor, draft: MailTemplate): Promise<void> {
    if (!mayDo(actor, 'edit_claim_template')) throw forbidden(TEMPLATE_REFUSAL);
    const normalised = { ...draft, text: normaliseNewlines(draft.text), html: normaliseNewlines(draft.html) };
    const problems = templateProblems(normalised);
    if (problems.length > 0) throw invalid(problems, 'The template was not saved.');
    await this.database.db.transaction().execute(async (trx) => {
      const before = await this.claimTemplate(trx);
      await this.repository.saveTemplate(trx, 'badge_claim', normalised, actor.id, this.clock.now());
      await this.audit.record(trx, actor, {
        action: 'mail_template.saved',
        entityType: 'mail_template',
        entityId: 'badge_claim',
        before: before.isDefault ? { default: true } : before.template,
        after: normalised,
      });
    });
  }

  /** Goes back to the default in code. */
  async reset(actor: Actor): Promise<void> {
    if (!mayDo(actor, 'edit_claim_template')) throw forbidden(TEMPLATE_REFUSAL);
    await this.database.db.transaction().execute(async (trx) => {
      const before = await this.claimTemplate(trx);
      if (before.isDefault) return;
      await this.repository.deleteTemplate(trx, 'badge_claim');
      await this.audit.record(trx, actor, {
        action: 'mail_template.reset',
        entityType: 'mail_template',
        entityId: 'badge_claim',
        before: before.template,
        after: { default: true },
      });
    });
  }
}

// Browsers post textarea lines with CRLF; store what people typed, with plain newlines.
const normaliseNewlines = (text: string): string => text.replace(/\r\n?/g, '\n');
