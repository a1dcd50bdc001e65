import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { type FieldProblem, forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { deleteOpenConsultation, insertConsultation, recordResponse } from './consultations.repository.ts';
import { type LoadedProgram, loadProgram } from './loaded-program.ts';
import type { ProgramMailer } from './program-mailer.ts';
import { mayRecordConsultation } from './programs.policy.ts';
import type { ProgramsRepository } from './programs.repository.ts';
import type { ConsultationResponse } from './programs.tables.ts';

/** The responses a consultee may give, as the pages word them. */
export const consultationResponseLabels: Readonly<Record<ConsultationResponse, string>> = {
  support: 'Supports the proposal',
  concerns: 'Has concerns',
  comment: 'Comments only',
};

const emailPattern = /^[^\s@|]+@[^\s@|]+\.[^\s@|]+$/;
const maxText = 5000;

/**
 * Consultation as a step of a proposal: the lead names the people to consult (colleagues with an account, or
 * someone outside by name and e-mail), and each response is recorded, by the consultee on the proposal's page
 * or by the lead on their behalf, with who typed it in. Signatures wait until every named consultee is heard.
 */
export class ProposalConsultationsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly mailer: ProgramMailer,
    private readonly clock: Clock,
    private readonly repository: ProgramsRepository,
  ) {}

  /** Names someone to consult: an account holder by e-mail, or someone outside with their name. */
  async addConsultee(
    actor: Actor,
    programId: string,
    input: { email: string; name?: string; topic?: string },
  ): Promise<void> {
    const email = input.email.trim();
    const topic = (input.topic ?? '').trim();
    const problems: FieldProblem[] = [];
    if (!emailPattern.test(email) || email.length > 320) {
      problems.push({ field: 'consultee_email', reason: 'must be an e-mail address' });
    }
    if (topic.length > 500)
      problems.push({ field: 'consultee_topic', reason: 'must be at most 500 characters' });
    const user =
      problems.length === 0 ? await this.repository.findUserByEmail(this.database.db, email) : undefined;
    const account = user && user.status !== 'disabled' ? user : undefined;
    const name = account?.name ?? (input.name ?? '').trim();
    if (problems.length === 0 && !account && name === '') {
      problems.push({
        field: 'consultee_name',
        reason: 'is required for someone without an account here (the address is not one of ours)',
      });
    } else if (name.length > 200) {
      problems.push({ field: 'consultee_name', reason: 'must be at most 200 characters' });
    }
    if (account?.id === actor.id) {
      problems.push({ field: 'consultee_email', reason: 'is your own; consult other people' });
    }
    if (problems.length > 0) throw invalid(problems);
    await this.database.db.transaction().execute(async (trx) => {
      const loaded = await this.#lockDraftForLead(trx, actor, programId);
      const address = (account?.email ?? email).toLowerCase();
      if (loaded.consultations.some((c) => c.email.toLowerCase() === address)) {
        throw invalid([{ field: 'consultee_email', reason: 'already belongs to a named consultee' }]);
      }
      await insertConsultation(trx, {
        id: newId(),
        programId,
        userId: account?.id ?? null,
        name,
        email: account?.email ?? email,
        topic,
      });
      if (account) {
        await this.mailer.send(trx, {
          to: account,
          subject: `Your views are asked: ${loaded.program.title}`,
          lines: [
            `${actor.name} asks for your views on the proposal for ${loaded.program.title}${topic ? ` (${topic})` : ''}.`,
            'Read it and record whether you support it, have concerns or only comment, on its page.',
          ],
          action: { label: 'Open the proposal', url: this.mailer.programUrl(programId) },
        });
      }
      await this.audit.record(trx, actor, {
        action: 'program.consultee_added',
        entityType: 'program',
        entityId: programId,
        after: { consultee: name, ...(topic ? { topic } : {}), hasAccount: Boolean(account) },
      });
    });
  }

  /** Takes a consultee off the list, while they have not responded. */
  async removeConsultee(actor: Actor, programId: string, consultationId: string): Promise<void> {
    await this.database.db.transaction().execute(async (trx) => {
      const loaded = await this.#lockDraftForLead(trx, actor, programId);
      const consultation = loaded.consultations.find((c) => c.id === consultationId);
      if (!consultation) throw notFound('That consultee');
      if (!(await deleteOpenConsultation(trx, programId, consultationId))) {
        throw invalidState(`${consultation.name} has already responded; a response stays on the record`);
      }
      await this.audit.record(trx, actor, {
        action: 'program.consultee_removed',
        entityType: 'program',
        entityId: programId,
        before: { consultee: consultation.name },
      });
    });
  }

  /**
   * Records a consultee's response: by the consultee themselves, or by the lead on their behalf (the record
   * keeps who typed it in). A response with concerns needs the concerns written down.
   */
  async recordResponse(
    actor: Actor,
    programId: string,
    consultationId: string,
    input: { response: ConsultationResponse; text: string },
  ): Promise<void> {
    const text = input.text.trim();
    const problems: FieldProblem[] = [];
    if (!(input.response in consultationResponseLabels)) {
      problems.push({ field: 'response', reason: 'must be support, concerns or a comment' });
    }
    if (text.length > maxText)
      problems.push({ field: 'response_text', reason: `must be at most ${maxText} characters` });
    else if (text === '' && input.response !== 'support') {
      problems.push({ field: 'response_text', reason: 'is required: write the concerns or the comment' });
    }
    if (problems.length > 0) throw invalid(problems);
    await this.database.db.transaction().execute(async (trx) => {
      const status = await this.repository.lockProgram(trx, programId);
      if (!status) throw notFound('That program');
      const loaded = await loadProgram(trx, programId);
      const consultation = loaded.consultations.find((c) => c.id === consultationId);
      if (!consultation) throw notFound('That consultee');
      const who = mayRecordConsultation(
        actor,
        { leadUserId: loaded.program.lead_user_id },
        { consulteeUserId: consultation.consultee_user_id },
      );
      if (!who)
        throw forbidden(
          'Only the person consulted, or the program lead on their behalf, records a response.',
        );
      if (status !== 'draft') throw invalidState('Consultation is over once signatures are asked for');
      if (consultation.response !== null) throw invalidState(`${consultation.name} has already responded`);
      await recordResponse(trx, consultationId, {
        kind: input.response,
        text,
        at: this.clock.now(),
        recordedBy: { id: actor.id, name: actor.name },
      });
      if (who === 'own') {
        await this.mailer.toLead(trx, loaded.program, {
          subject: `${consultation.name} responded: ${loaded.program.title}`,
          lines: [
            `${consultation.name}: ${consultationResponseLabels[input.response].toLowerCase()} on the proposal for ${loaded.program.title}.`,
          ],
          comment: text || undefined,
          label: 'Open the proposal',
        });
      }
      await this.audit.record(trx, actor, {
        action: 'program.consultation_recorded',
        entityType: 'program',
        entityId: programId,
        after: {
          consultee: consultation.name,
          response: input.response,
          ...(who === 'on_behalf' ? { onBehalfOf: consultation.name } : {}),
          ...(text ? { comment: text } : {}),
        },
      });
    });
  }

  async #lockDraftForLead(trx: Db, actor: Actor, programId: string): Promise<LoadedProgram> {
    const status = await this.repository.lockProgram(trx, programId);
    if (!status) throw notFound('That program');
    const loaded = await loadProgram(trx, programId);
    if (loaded.program.lead_user_id !== actor.id) throw forbidden('Only the program lead names consultees.');
    if (status !== 'draft')
      throw invalidState('Consultees can only be changed while the proposal is a draft');
    return loaded;
  }
}
