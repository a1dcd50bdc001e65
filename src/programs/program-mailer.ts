import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Db } from '../platform/db/database.ts';
import type { Role } from '../platform/roles.ts';
import { type ProgramMailContent, programMail } from './programs.mail.ts';
import { isOwnProgram } from './programs.policy.ts';
import type { ProgramRow, ProgramsRepository } from './programs.repository.ts';

/** A message to a program's lead: what happened, the decider's comment, and the button's label. */
export interface LeadMessage {
  subject: string;
  lines: string[];
  comment?: string | undefined;
  label: string;
}

/**
 * The e-mails of the programs workflow, always queued inside the deciding transaction so a decision that
 * rolls back never leaves a message behind.
 */
export class ProgramMailer {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly repository: ProgramsRepository,
    private readonly publicUrl: string,
  ) {}

  programUrl(programId: string): string {
    return `${this.publicUrl}/programs/${programId}`;
  }

  /** The program's public page, for learners. */
  catalogUrl(slug: string): string {
    return `${this.publicUrl}/catalog/${slug}`;
  }

  get inboxUrl(): string {
    return `${this.publicUrl}/inbox`;
  }

  async send(trx: Db, content: ProgramMailContent): Promise<void> {
    await this.notifications.queueMail(trx, { ...programMail(content), kind: 'program' });
  }

  /** Programs loaded before leads were required may have none; then nobody is told. */
  async toLead(trx: Db, program: ProgramRow, message: LeadMessage): Promise<void> {
    if (!program.lead_email || !program.lead_name) return;
    await this.send(trx, {
      to: { name: program.lead_name, email: program.lead_email },
      subject: message.subject,
      lines: message.lines,
      comment: message.comment ?? null,
      action: { label: message.label, url: this.programUrl(program.id) },
    });
  }

  /**
   * One message to every active holder of `role` who may decide on `program`: its own lead is not asked to
   * decide on it, even when they hold the role (separation of duties).
   */
  async toRole(
    trx: Db,
    role: Role | undefined,
    program: { lead_user_id: string | null },
    content: Omit<ProgramMailContent, 'to'>,
  ): Promise<void> {
    if (!role) return;
    for (const person of await this.repository.usersWithRoles(trx, [role])) {
      if (isOwnProgram(person, { leadUserId: program.lead_user_id })) continue;
      await this.send(trx, { ...content, to: person });
    }
  }
}
