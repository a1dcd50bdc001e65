import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import { formatDay } from '../platform/http/moment.ts';
import { newId } from '../platform/ids.ts';
import { type ApprovalStep, nextStep, remainingSteps } from './approval-chain.ts';
import type { ApprovalChainsService } from './approval-chains.service.ts';
import type { FullProposalsService } from './full-proposals.service.ts';
import { liveApprovals } from './loaded-program.ts';
import { academicYearOf, calendarDateIn, pilotStartRefusal } from './pilot-calendar.ts';
import type { LifecycleEffect, LifecycleStep, ProgramLifecycleService } from './program-lifecycle.service.ts';
import type { ProgramMailer } from './program-mailer.ts';
import { learnersInProgress } from './program-retirements.repository.ts';
import { retirementEffects } from './program-retirements.ts';
import { ensureVersion } from './program-versions.ts';
import type { ProgramEvent, ProgramState } from './program-vocabulary.ts';
import { mayDecideStep, mayDo, stepRefusal } from './programs.policy.ts';
import type { ProgramsRepository } from './programs.repository.ts';
import type { ProposalSignaturesService } from './proposal-signatures.service.ts';

/**
 * The credentials office's review and the decisions after it: consultation notes, submission, requests for
 * changes, approval for a pilot along the pilot chain, the full proposal's chain of bodies, and retirement.
 */
export class ProgramReviewService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly lifecycle: ProgramLifecycleService,
    private readonly signatures: ProposalSignaturesService,
    private readonly chains: ApprovalChainsService,
    private readonly mailer: ProgramMailer,
    private readonly repository: ProgramsRepository,
    private readonly fullProposals: FullProposalsService,
  ) {}

  /** The credentials office's notes from consulting on a proposal, kept with it. */
  async addConsultationNote(actor: Actor, programId: string, body: string): Promise<void> {
    if (!mayDo(actor, 'add_consultation_note')) {
      throw forbidden('Only the credentials office records consultation notes.');
    }
    const text = body.trim();
    if (text === '') throw invalid([{ field: 'note', reason: 'is required' }]);
    if (text.length > 10_000) throw invalid([{ field: 'note', reason: 'must be at most 10000 characters' }]);
    await this.database.db.transaction().execute(async (trx) => {
      if (!(await this.repository.lockProgram(trx, programId))) throw notFound('That program');
      await this.repository.insertNote(trx, {
        id: newId(),
        programId,
        authorId: actor.id,
        authorName: actor.name,
        body: text,
      });
      await this.audit.record(trx, actor, {
        action: 'program.note_added',
        entityType: 'program',
        entityId: programId,
        after: { note: text.length > 200 ? `${text.slice(0, 200)}…` : text },
      });
    });
  }

  submitProposal(actor: Actor, programId: string) {
    return this.#decide(actor, programId, 'submit');
  }

  requestChanges(actor: Actor, programId: string, comment: string) {
    return this.#decide(actor, programId, 'request_changes', comment);
  }

  reviseProposal(actor: Actor, programId: string) {
    return this.#decide(actor, programId, 'revise');
  }

  /**
   * Records the next pilot-chain approval. The last one starts the pilot, on `pilotStartsOn` when the office
   * chose a day (a program approved in spring often starts with the next academic year), else on the day of
   * the approval, as it always did.
   */
  approveForPilot(actor: Actor, programId: string, comment?: string, pilotStartsOn?: string) {
    return this.lifecycle.apply(actor, programId, 'approve_pilot', comment, (step) =>
      this.#approvePilotStep(step, pilotStartsOn),
    );
  }

  submitFullProposal(actor: Actor, programId: string, comment?: string) {
    return this.#decide(actor, programId, 'submit_full_proposal', comment);
  }

  approveStep(actor: Actor, programId: string, comment?: string) {
    return this.#decide(actor, programId, 'approve_step', comment);
  }

  returnToPilot(actor: Actor, programId: string, comment: string) {
    return this.#decide(actor, programId, 'reject', comment);
  }

  /**
   * Retires a program, once the person confirmed it on the confirmation page: it needs a reason, and the
   * confirmation is asked again here so that no other form can retire a program by accident.
   */
  async retireProgram(actor: Actor, programId: string, reason: string, confirmed: boolean) {
    if (!confirmed) {
      throw invalid([{ field: 'confirm', reason: 'must be ticked to confirm the retirement' }]);
    }
    return this.#decide(actor, programId, 'retire', reason);
  }

  /** How many learners in progress a retirement would be announced to, for its confirmation page. */
  async learnersToTell(programId: string): Promise<number> {
    return (await learnersInProgress(this.database.db, programId)).length;
  }

  reinstateProgram(actor: Actor, programId: string, comment?: string) {
    return this.#decide(actor, programId, 'reinstate', comment);
  }

  /** Runs one action by name, as the program page and the inbox post the action they offered. */
  applyAction(
    actor: Actor,
    programId: string,
    action: ProgramEvent | 'sign',
    comment?: string,
    options: { pilotStartsOn?: string | undefined } = {},
  ): Promise<ProgramState | undefined> {
    switch (action) {
      case 'approve_pilot':
        return this.approveForPilot(actor, programId, comment, options.pilotStartsOn || undefined);
      case 'sign':
        return this.signatures.signProposal(actor, programId, comment).then(() => undefined);
      case 'request_signatures':
        return this.signatures.requestSignatures(actor, programId);
      case 'signature_declined':
        return this.signatures.declineToSign(actor, programId, comment ?? '');
      case 'submit':
      case 'revise':
        return this.#decide(actor, programId, action);
      case 'retire':
        // Only from the confirmation page (`retireProgram`), which asks for a reason and a confirmation.
        return Promise.reject(
          invalidState('Retire the program from its confirmation page, which asks for the reason.'),
        );
      default:
        return this.#decide(actor, programId, action, comment);
    }
  }

  #decide(actor: Actor, programId: string, event: ReviewEvent, comment?: string): Promise<ProgramState> {
    return this.lifecycle.apply(actor, programId, event, comment, this.#effects[event]);
  }

  /** What each decision does besides changing the status. */
  readonly #effects: Record<ReviewEvent, LifecycleEffect | undefined> = {
    submit: async (step) => {
      const { trx, actor, loaded } = step;
      const program = loaded.program;
      // Each submission starts the review afresh under the pilot chain in force now: a resubmission after
      // changes is a changed proposal, so approvals given to the earlier one no longer count, and the chain an
      // administrator has changed meanwhile is the one it now goes through.
      await this.repository.clearApprovalSteps(trx, program.id, 'pilot', step.at);
      await this.chains.keepForReview(trx, program.id, 'pilot', true);
      await this.mailer.toRole(trx, 'credentials_office', program, {
        subject: `Proposal submitted: ${program.title}`,
        lines: [`${actor.name} submitted the proposal for ${program.title}, signed by everyone named.`],
        action: { label: 'Review the proposal', url: this.mailer.programUrl(program.id) },
      });
      return undefined;
    },
    request_changes: async ({ trx, loaded, comment }) => {
      await this.mailer.toLead(trx, loaded.program, {
        subject: `Changes requested: ${loaded.program.title}`,
        lines: [`The credentials office asks for changes to the proposal for ${loaded.program.title}.`],
        comment,
        label: 'Open the proposal',
      });
      return undefined;
    },
    revise: async ({ trx, loaded }) => {
      await this.repository.resetSignatures(trx, loaded.program.id, ['signed', 'declined']);
      return undefined;
    },
    approve_pilot: (step) => this.#approvePilotStep(step),
    submit_full_proposal: async (step) => {
      const { trx, loaded, comment } = step;
      // The full proposal must be complete; it is frozen as submitted, for the bodies to read.
      await this.fullProposals.markSubmitted(step);
      if (comment) await this.repository.saveFullProposalSummary(trx, loaded.program.id, comment);
      // Each submission is a new round (a returned one had its approvals cleared), under the chain as it is now.
      const chain = await this.chains.keepForReview(trx, loaded.program.id, 'full_proposal', true);
      await this.#askBody(trx, nextStep(chain, []), loaded.program);
      return undefined;
    },
    approve_step: async (step) => {
      const { trx, loaded, chains, facts, comment, to, detail } = step;
      const done = facts.fullChainDone;
      const current = nextStep(chains.full, done)!;
      await this.#recordStep(step, chains.full.key, current, 'approved');
      detail.step = current.name;
      const program = loaded.program;
      if (to === 'full_proposal_review') {
        await this.#askBody(trx, nextStep(chains.full, [...done, current.key]), program);
      } else {
        await this.mailer.toLead(trx, program, {
          subject: `Approved as an established program: ${program.title}`,
          lines: [
            `Every step of the ${chains.full.name.toLowerCase()} is complete: ${program.title} is now established.`,
          ],
          comment,
          label: 'Open the program',
        });
      }
      return undefined;
    },
    reject: async (step) => {
      const { trx, loaded, chains, facts, comment, at, detail } = step;
      const current = nextStep(chains.full, facts.fullChainDone);
      if (current) await this.#recordStep(step, chains.full.key, current, 'returned');
      await this.repository.clearApprovalSteps(trx, loaded.program.id, chains.full.key, at);
      await this.fullProposals.reopen(trx, loaded.program.id);
      detail.step = current?.name;
      await this.mailer.toLead(trx, loaded.program, {
        subject: `Full proposal returned: ${loaded.program.title}`,
        lines: [
          `The ${current?.name ?? 'reviewers'} returned the full proposal for ${loaded.program.title}; it continues as a pilot.`,
        ],
        comment,
        label: 'Open the program',
      });
      return undefined;
    },
    retire: (step) => retirementEffects(this.mailer).retire(step),
    reinstate: (step) => retirementEffects(this.mailer).reinstate(step),
  };

  /**
   * Records the next step of the pilot chain. Only the last step starts the pilot; with a longer chain the
   * proposal stays submitted until every body has approved.
   */
  async #approvePilotStep(step: LifecycleStep, pilotStartsOn?: string): Promise<ProgramState> {
    const { trx, actor, loaded, chains, comment, at, detail } = step;
    const chain = chains.pilot;
    const done = liveApprovals(loaded.approvals, chain.key).map((a) => a.step_key);
    const current = nextStep(chain, done);
    detail.step = current?.name;
    if (current) {
      // The credentials office records the decision of the governing body on its behalf.
      if (!mayDecideStep(actor, current)) throw invalidState(stepRefusal(current));
      await this.#recordStep(step, chain.key, current, 'approved');
      if (remainingSteps(chain, [...done, current.key]) > 0) return 'submitted';
    }
    const program = loaded.program;
    // The day of the approval in the institution's time zone, unless the office chose the day it starts.
    const today = calendarDateIn(at, step.timeZone);
    const startsOn = pilotStartsOn ?? today;
    const refusal = pilotStartRefusal(startsOn, today);
    if (refusal) throw invalid([{ field: 'pilot_starts_on', reason: refusal }]);
    detail.pilotStartsOn = startsOn;
    const startYear = Number(academicYearOf(startsOn, step.academicYearStartMonth).slice(0, 4));
    await this.repository.startPilot(trx, program.id, startsOn, startYear);
    await ensureVersion(this.repository, trx, program, loaded.courses);
    await this.mailer.toLead(trx, program, {
      subject: `Approved for a pilot: ${program.title}`,
      lines: [
        `${program.title} is approved to run as a pilot from ${formatDay(startsOn)}, for up to three academic years.`,
        'A program review is due at the end of each academic year, and the decision to propose it in full or retire it is due when the third year begins.',
      ],
      comment,
      label: 'Open the program',
    });
    return 'pilot';
  }

  async #recordStep(
    { trx, actor, loaded, comment, at }: LifecycleStep,
    chainKey: string,
    step: ApprovalStep,
    decision: 'approved' | 'returned',
  ): Promise<void> {
    await this.repository.insertApprovalStep(trx, {
      id: newId(),
      programId: loaded.program.id,
      chainKey,
      stepKey: step.key,
      stepName: step.name,
      decision,
      decidedBy: actor.id,
      decidedByName: actor.name,
      comment: comment ?? null,
      at,
    });
  }

  /** Tells the holders of the body's role that a full proposal waits for their decision. */
  async #askBody(
    trx: Db,
    step: ApprovalStep | undefined,
    program: { id: string; title: string; lead_user_id: string | null },
  ) {
    const content = {
      subject: `A full proposal awaits the ${step?.name}: ${program.title}`,
      lines: [`The full proposal for ${program.title} is ready for your decision.`],
      action: { label: 'Open my inbox', url: this.mailer.inboxUrl },
    };
    if (step?.person) {
      const person = await this.repository.findActivePerson(trx, step.person.id);
      if (person && person.id !== program.lead_user_id)
        await this.mailer.send(trx, { ...content, to: person });
      return;
    }
    await this.mailer.toRole(trx, step?.role, program, content);
  }
}

type ReviewEvent = Exclude<ProgramEvent, 'request_signatures' | 'signature_declined'>;
