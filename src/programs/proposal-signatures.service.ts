import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { type FieldProblem, forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { cleanComment, type LoadedProgram, loadProgram } from './loaded-program.ts';
import type { LifecycleStep, ProgramLifecycleService } from './program-lifecycle.service.ts';
import type { ProgramMailer } from './program-mailer.ts';
import { fieldsOf } from './program-state.ts';
import type { ProgramState } from './program-vocabulary.ts';
import { programStateLabels } from './program-vocabulary.ts';
import { ownDecisionRefusal } from './programs.policy.ts';
import type { ProgramsRepository } from './programs.repository.ts';
import { missingForSignatures, type ProposalToCheck } from './proposal-completeness.ts';

/**
 * Signatures on a proposal: the lead names the people who must sign (supervisor, section head, partners),
 * asks them, and each signs or declines with a comment from their own inbox.
 */
export class ProposalSignaturesService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly lifecycle: ProgramLifecycleService,
    private readonly mailer: ProgramMailer,
    private readonly clock: Clock,
    private readonly repository: ProgramsRepository,
  ) {}

  /** Names an account holder as a signer of a draft proposal. */
  async addSigner(actor: Actor, programId: string, input: { email: string; roleLabel: string }) {
    const roleLabel = input.roleLabel.trim();
    const problems: FieldProblem[] = [];
    if (roleLabel === '') problems.push({ field: 'role_label', reason: 'is required' });
    else if (roleLabel.length > 120)
      problems.push({ field: 'role_label', reason: 'must be at most 120 characters' });
    const user = await this.repository.findUserByEmail(this.database.db, input.email);
    if (!user || user.status === 'disabled') {
      problems.push({
        field: 'signer_email',
        reason: 'does not belong to an account here; ask an administrator to invite the person first',
      });
    } else if (user.id === actor.id) {
      problems.push({ field: 'signer_email', reason: 'is your own; signers must be other people' });
    }
    if (problems.length > 0) throw invalid(problems);
    await this.database.db.transaction().execute(async (trx) => {
      const loaded = await this.#lockForLead(trx, actor, programId, 'name signers');
      if (loaded.signers.some((s) => s.user_id === user!.id)) {
        throw invalid([{ field: 'signer_email', reason: 'already belongs to a named signer' }]);
      }
      await this.repository.insertSigner(trx, {
        id: newId(),
        programId,
        userId: user!.id,
        name: user!.name,
        email: user!.email,
        roleLabel,
      });
      await this.audit.record(trx, actor, {
        action: 'program.signer_added',
        entityType: 'program',
        entityId: programId,
        after: { signer: user!.email, role: roleLabel },
      });
    });
  }

  async removeSigner(actor: Actor, programId: string, signerId: string): Promise<void> {
    await this.database.db.transaction().execute(async (trx) => {
      const loaded = await this.#lockForLead(trx, actor, programId, 'change the signers');
      const signer = loaded.signers.find((s) => s.id === signerId);
      if (!signer || !(await this.repository.deleteSigner(trx, programId, signerId))) {
        throw notFound('That signer');
      }
      await this.audit.record(trx, actor, {
        action: 'program.signer_removed',
        entityType: 'program',
        entityId: programId,
        before: { signer: signer.email, role: signer.role_label },
      });
    });
  }

  /** The lead asks every named signer; signatures given to an earlier round no longer count. */
  requestSignatures(actor: Actor, programId: string): Promise<ProgramState> {
    return this.lifecycle.apply(actor, programId, 'request_signatures', undefined, (step) =>
      this.#askSigners(step),
    );
  }

  /** A named signer signs the proposal; when the last one signs, the lead is told it can be submitted. */
  async signProposal(actor: Actor, programId: string, comment?: string): Promise<void> {
    const text = cleanComment(comment);
    await this.database.db.transaction().execute(async (trx) => {
      const status = await this.repository.lockProgram(trx, programId);
      if (!status) throw notFound('That program');
      const loaded = await loadProgram(trx, programId);
      const signer = loaded.signers.find((s) => s.user_id === actor.id);
      if (!signer) throw forbidden('You are not a named signer of this proposal.');
      const ownRefusal = ownDecisionRefusal(actor, { leadUserId: loaded.program.lead_user_id }, 'sign');
      if (ownRefusal) throw forbidden(ownRefusal);
      if (status !== 'awaiting_signatures') {
        throw invalidState(
          `Signatures are not being collected while the program is "${programStateLabels[status]}"`,
        );
      }
      if (signer.status !== 'pending')
        throw invalidState('You have already given your decision on this proposal');
      await this.repository.decideSignature(trx, signer.id, 'signed', text ?? null, this.clock.now());
      await this.audit.record(trx, actor, {
        action: 'program.signed',
        entityType: 'program',
        entityId: programId,
        after: { role: signer.role_label, ...(text ? { comment: text } : {}) },
      });
      const othersPending = loaded.signers.some((s) => s.id !== signer.id && s.status !== 'signed');
      if (!othersPending) {
        await this.mailer.toLead(trx, loaded.program, {
          subject: `Every signer has signed: ${loaded.program.title}`,
          lines: [
            `All the people you named have signed the proposal for ${loaded.program.title}.`,
            'You can now submit it to the credentials office.',
          ],
          label: 'Open the proposal',
        });
      }
    });
  }

  /** A named signer declines with a comment; the proposal goes back to draft and the lead is told why. */
  declineToSign(actor: Actor, programId: string, comment: string): Promise<ProgramState> {
    return this.lifecycle.apply(actor, programId, 'signature_declined', comment, (step) =>
      this.#decline(step),
    );
  }

  async #askSigners({ trx, actor, loaded }: LifecycleStep): Promise<undefined> {
    const problems = missingForSignatures(await proposalToCheck(this.repository, trx, loaded));
    if (problems.length > 0) {
      throw invalid(
        problems,
        'Before asking for signatures, complete the proposal: each item below is missing.',
      );
    }
    const program = loaded.program;
    await this.repository.resetSignatures(trx, program.id, ['signed', 'declined']);
    for (const signer of loaded.signers) {
      await this.mailer.send(trx, {
        to: signer,
        subject: `Your signature is requested: ${program.title}`,
        lines: [
          `${actor.name} asks you to review and sign the proposal for ${program.title} as ${signer.role_label}.`,
          'Sign it, or decline with a comment, from your inbox.',
        ],
        action: { label: 'Open my inbox', url: this.mailer.inboxUrl },
      });
    }
    return undefined;
  }

  async #decline({ trx, actor, loaded, comment, at, detail }: LifecycleStep): Promise<undefined> {
    const program = loaded.program;
    const signer = loaded.signers.find((s) => s.user_id === actor.id)!;
    await this.repository.decideSignature(trx, signer.id, 'declined', comment!, at);
    await this.repository.resetSignatures(trx, program.id, ['signed']);
    detail.role = signer.role_label;
    await this.mailer.toLead(trx, program, {
      subject: `A signer declined: ${program.title}`,
      lines: [
        `${actor.name} (${signer.role_label}) declined to sign the proposal for ${program.title}, which is back to draft.`,
        'Other signatures will be asked for again once you have revised it.',
      ],
      comment,
      label: 'Open the proposal',
    });
    return undefined;
  }

  async #lockForLead(trx: Db, actor: Actor, programId: string, what: string): Promise<LoadedProgram> {
    const status = await this.repository.lockProgram(trx, programId);
    if (!status) throw notFound('That program');
    const loaded = await loadProgram(trx, programId);
    if (loaded.program.lead_user_id !== actor.id) throw forbidden(`Only the program lead can ${what}.`);
    if (status !== 'draft') throw invalidState(`Signers can only be changed while the proposal is a draft`);
    return loaded;
  }
}

/** What the completeness check reads of a loaded proposal, with the catalog's credits for its courses. */
export async function proposalToCheck(
  repository: ProgramsRepository,
  db: Db,
  loaded: LoadedProgram,
): Promise<ProposalToCheck> {
  const { courses } = await repository.references(db);
  return {
    fields: fieldsOf(loaded.program, loaded.courses),
    missingFields: loaded.proposal?.missing_fields ?? [],
    narratives: loaded.proposal,
    fileKinds: loaded.files.map((f) => f.kind),
    mouRequired: Boolean(loaded.proposal?.is_interdisciplinary || loaded.proposal?.has_third_party),
    signerCount: loaded.signers.length,
    consultations: loaded.consultations,
    courseCredits: new Map(courses.map((c) => [c.code, c.credits])),
  };
}
