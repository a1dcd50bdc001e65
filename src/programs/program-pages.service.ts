import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import type { Role } from '../platform/roles.ts';
import { coursesInRule } from '../requirements/index.ts';
import { type ApprovalStep, nextStep, remainingSteps } from './approval-chain.ts';
import type { ApprovalChainsService, ChainKey } from './approval-chains.service.ts';
import { assertCanView, factsOf, liveApprovals, loadProgram } from './loaded-program.ts';
import type { ProgramModificationsService } from './program-modifications.service.ts';
import {
  blockedActions,
  chainProgress,
  fieldsOf,
  offeredActions,
  offeredActionsWithheld,
} from './program-state.ts';
import type { ProgramState } from './program-vocabulary.ts';
import {
  DECISION_STATES,
  FULL_CHAIN_STATES,
  isAwaitingDecision,
  isWithLead,
  PILOT_CHAIN_STATES,
} from './program-vocabulary.ts';
import {
  editModeOf,
  hasIndependentDecider,
  holdsDecidingRole,
  isOwnProgram,
  leadsPrograms,
  mayDo,
  mayRecordConsultation,
  seesEveryProgram,
  signerChoiceRoles,
} from './programs.policy.ts';
import type { ProgramsRepository } from './programs.repository.ts';
import { missingForSignatures } from './proposal-completeness.ts';
import { proposalToCheck } from './proposal-signatures.service.ts';

/** Programs per page of the staff list. */
export const PROGRAMS_PAGE_SIZE = 25;

/** What the staff pages of programs show: the lists, one program's page, its files, and each person's inbox. */
export class ProgramPagesService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly chains: ApprovalChainsService,
    private readonly repository: ProgramsRepository,
    private readonly modifications: Pick<ProgramModificationsService, 'awaiting'>,
  ) {}

  /** Staff see every program (optionally of one status); a program lead sees the programs they lead. */
  listPrograms(actor: Actor, filter: { status?: ProgramState } = {}) {
    const isStaff = seesEveryProgram(actor);
    if (!mayDo(actor, 'open_programs')) throw forbidden();
    return this.repository.listPrograms(this.database.db, {
      ...(isStaff ? {} : { leadId: actor.id }),
      ...(filter.status ? { status: filter.status } : {}),
    });
  }

  /**
   * The staff list of programs, a page (from 1) at a time, with what this person may do from it, so the page
   * decides nothing.
   */
  async listPage(actor: Actor, filter: { status?: ProgramState; page?: number } = {}) {
    if (!mayDo(actor, 'open_programs')) throw forbidden();
    const isStaff = seesEveryProgram(actor);
    const where = {
      ...(isStaff ? {} : { leadId: actor.id }),
      ...(filter.status ? { status: filter.status } : {}),
    };
    const db = this.database.db;
    const total = await this.repository.countPrograms(db, where);
    const pages = Math.max(1, Math.ceil(total / PROGRAMS_PAGE_SIZE));
    const page = Math.min(Math.max(1, filter.page ?? 1), pages);
    const programs = await this.repository.listPrograms(db, {
      ...where,
      limit: PROGRAMS_PAGE_SIZE,
      offset: (page - 1) * PROGRAMS_PAGE_SIZE,
    });
    const waiting = await this.waitingStepsOf(programs);
    return {
      programs: programs.map((p) => ({ ...p, waitingOn: waiting.get(p.id) })),
      paging: { page, pages, total },
      isStaff,
      canStartProposal: mayDo(actor, 'draft_proposal'),
      canSeeOverdue: mayDo(actor, 'oversee_reviews'),
    };
  }

  /** Everything the staff page of one program shows, including what this person may do now. */
  async programPage(actor: Actor, programId: string) {
    const db = this.database.db;
    const loaded = await loadProgram(db, programId);
    assertCanView(actor, loaded);
    const chains = await this.chains.forProgram(db, programId);
    const [notes, versions, history] = await Promise.all([
      this.repository.listNotes(db, programId),
      this.repository.listVersions(db, programId),
      this.audit.list({ entityType: 'program', entityId: programId, limit: 500, offset: 0 }),
    ]);
    const facts = factsOf(loaded, chains.full, chains.pilot);
    const program = loaded.program;
    const canManageSigners = program.lead_user_id === actor.id && program.status === 'draft';
    const progress = (chain: typeof chains.pilot, activeIn: readonly ProgramState[]) => {
      const isActive = activeIn.includes(program.status);
      return {
        chain,
        // Said only while the review runs: that is when someone might expect an edited chain to apply.
        isKept: isActive && chains.kept.includes(chain.key as ChainKey),
        steps: chainProgress(
          chain,
          liveApprovals(loaded.approvals, chain.key),
          isActive && program.status !== 'changes_requested',
        ),
      };
    };
    const isDraft = program.status === 'draft';
    const isLead = program.lead_user_id === actor.id;
    const offered = offeredActions(actor, facts, chains.full);
    const pilotDone = liveApprovals(loaded.approvals, chains.pilot.key).map((a) => a.step_key);
    const fullDone = liveApprovals(loaded.approvals, chains.full.key).map((a) => a.step_key);
    const fields = fieldsOf(program, loaded.courses);
    return {
      program,
      /** The chain step a proposal under review waits on, so its status says who decides. */
      waitingOn:
        program.status === 'submitted'
          ? nextStep(chains.pilot, pilotDone)
          : program.status === 'full_proposal_review'
            ? nextStep(chains.full, fullDone)
            : undefined,
      fields,
      /** Titles of the courses the requirement names, for its plain-words description. */
      courseTitles: await this.repository.courseTitles(db, coursesInRule(fields.requirement)),
      /** For the lead of a draft: what still stands between it and asking for signatures, field by field. */
      stillMissing:
        isDraft && isLead ? missingForSignatures(await proposalToCheck(this.repository, db, loaded)) : [],
      consultations: loaded.consultations.map((c) => ({
        ...c,
        // Who may record this response now: the consultee themselves, or the lead on their behalf.
        recordAs:
          isDraft && c.response === null
            ? mayRecordConsultation(
                actor,
                { leadUserId: program.lead_user_id },
                { consulteeUserId: c.consultee_user_id },
              )
            : undefined,
      })),
      canManageConsultees: canManageSigners,
      /** The approval offered now is the pilot chain's last, so it starts the pilot: the office picks the day. */
      choosesPilotStart:
        offered.some((a) => a.action === 'approve_pilot') && remainingSteps(chains.pilot, pilotDone) <= 1,
      proposal: loaded.proposal,
      files: loaded.files,
      signers: loaded.signers,
      notes,
      versions,
      history: history.reverse(),
      chains: {
        pilot: progress(chains.pilot, PILOT_CHAIN_STATES),
        full: progress(chains.full, FULL_CHAIN_STATES),
      },
      returned: loaded.approvals.filter((a) => a.decision === 'returned'),
      mouRequired: facts.mouRequired,
      actions: offered,
      actionsWithheld: offeredActionsWithheld(actor, facts, chains.full),
      blockedActions: blockedActions(actor, facts, chains.full),
      needsAnotherApprover:
        isAwaitingDecision(program.status) && (await this.#waitsForAnother(db, program)).needsAnotherApprover,
      isLead,
      canEdit: editModeOf(actor, program) !== undefined,
      canManageSigners,
      signerChoices: canManageSigners ? await this.#signerChoices(db, actor, loaded.signers) : [],
      canAddNote: mayDo(actor, 'add_consultation_note'),
      /** A signer or consultee without a staff role reaches this page from their inbox, not the program list. */
      canListPrograms: mayDo(actor, 'open_programs'),
      retirement: loaded.retirement,
      reinstateRefusal: facts.retirement?.reinstateRefusal,
    };
  }

  /** Holders of the signer role a lead may still name: not the lead, not someone already named. */
  async #signerChoices(db: Db, actor: Actor, named: readonly { user_id: string }[]) {
    const holders = await this.repository.usersWithRoles(db, signerChoiceRoles);
    return holders.filter((u) => u.id !== actor.id && !named.some((s) => s.user_id === u.id));
  }

  /** A stored syllabus or MOU, for someone who may see the program. */
  async downloadFile(actor: Actor, programId: string, fileId: string) {
    const db = this.database.db;
    assertCanView(actor, await loadProgram(db, programId));
    const file = await this.repository.findFile(db, programId, fileId);
    if (!file) throw notFound('That file');
    return file;
  }

  /**
   * What waits for this person: signatures to give, pilot decisions and approval steps for their role, proposals
   * to finish. Their own proposals are never listed as theirs to decide: they wait for another approver, and say
   * so when nobody else holds the role that decides (the credentials office sees those too).
   */
  async inbox(actor: Actor) {
    const db = this.database.db;
    const signatures = await this.repository.pendingSignaturesOf(db, actor.id);
    const waiting = await this.#waitingDecisions(db);
    const isOwn = (p: WaitingDecision) => isOwnProgram(actor, { leadUserId: p.lead_user_id });
    const mayDecide = (p: WaitingDecision) => holdsDecidingRole(actor, p.roles);
    const pilotDecisions = waiting.filter((p) => p.status === 'submitted' && mayDecide(p) && !isOwn(p));
    // A step that names a person waits for them alone; any other for the holders of its role.
    const isForActor = (step: ApprovalStep) => step.person?.id === actor.id;
    const approvalSteps = waiting.flatMap((p) =>
      p.status === 'full_proposal_review' &&
      p.step &&
      (p.step.person ? isForActor(p.step) : mayDecide(p)) &&
      !isOwn(p)
        ? [{ ...p, step: p.step }]
        : [],
    );
    const proposedChanges = await this.modifications.awaiting(actor);
    const waitingForOthers = waiting.filter(isOwn);
    const stalled = mayDo(actor, 'oversee_reviews')
      ? waiting.filter((p) => p.needsAnotherApprover && !isOwn(p))
      : [];
    const mine = leadsPrograms(actor) ? await this.repository.listPrograms(db, { leadId: actor.id }) : [];
    const forLead = mine.filter((p) => isWithLead(p.status));
    const readyToSubmit: typeof forLead = [];
    for (const program of forLead) {
      if (program.status === 'changes_requested') {
        readyToSubmit.push(program);
        continue;
      }
      const signers = await this.repository.listSigners(db, program.id);
      if (signers.length > 0 && signers.every((s) => s.status === 'signed')) readyToSubmit.push(program);
    }
    return {
      signatures,
      pilotDecisions,
      approvalSteps,
      proposedChanges,
      waitingForOthers,
      stalled,
      forLead: readyToSubmit,
      /** Whether the program list opens to this person: a signer alone has only their inbox. */
      canListPrograms: mayDo(actor, 'open_programs'),
    };
  }

  /** For the credentials office's overdue page: reviews whose next step only their own lead could decide. */
  async stalledReviews(actor: Actor) {
    if (!mayDo(actor, 'oversee_reviews')) throw forbidden();
    return (await this.#waitingDecisions(this.database.db)).filter((p) => p.needsAnotherApprover);
  }

  /**
   * Proposals waiting for a reviewer's decision, with the step that waits, the roles that may record it, and
   * whether anyone but the program's lead holds one of them.
   */
  async #waitingDecisions(db: Db): Promise<WaitingDecision[]> {
    const programs = await this.repository.programsInStatus(db, DECISION_STATES);
    const result: WaitingDecision[] = [];
    for (const program of programs)
      result.push({ ...program, ...(await this.#waitsForAnother(db, program)) });
    return result;
  }

  /**
   * The step that waits on a proposal under review, the roles whose holders may record it, and whether anyone
   * but the program's own lead holds one of them.
   */
  async #waitsForAnother(db: Db, program: { id: string; status: ProgramState; lead_user_id: string | null }) {
    const step = await this.#waitingStep(db, program);
    // The credentials office records a pilot decision on the governing body's behalf.
    const roles: Role[] = [
      ...(program.status === 'submitted' ? (['credentials_office'] as const) : []),
      ...(step ? [step.role] : []),
    ];
    const holders = await this.repository.usersWithRoles(db, roles);
    const needsAnotherApprover = !hasIndependentDecider(
      holders.map((h) => h.id),
      { leadUserId: program.lead_user_id },
    );
    return { step, roles, needsAnotherApprover };
  }

  /** The step of its approval chain a proposal under review waits on (the pilot chain's while submitted). */
  async #waitingStep(
    db: Db,
    program: { id: string; status: ProgramState },
  ): Promise<ApprovalStep | undefined> {
    const chains = await this.chains.forProgram(db, program.id);
    const chain = program.status === 'submitted' ? chains.pilot : chains.full;
    const done = (await this.repository.liveApprovals(db, [program.id], chain.key)).get(program.id) ?? [];
    return nextStep(chain, done);
  }

  /**
   * For lists of programs: the step each one waiting on a decision waits on, by program id, so the list says who
   * decides (`programStateWords`). Programs in no decision state are left out.
   */
  async waitingStepsOf(
    programs: readonly { id: string; status: ProgramState }[],
  ): Promise<Map<string, ApprovalStep>> {
    const db = this.database.db;
    const steps = new Map<string, ApprovalStep>();
    for (const program of programs.filter((p) => isAwaitingDecision(p.status))) {
      const step = await this.#waitingStep(db, program);
      if (step) steps.set(program.id, step);
    }
    return steps;
  }

  programIdBySlug(slug: string): Promise<string | undefined> {
    return this.repository.findProgramIdBySlug(this.database.db, slug);
  }

  /** A person as an actor (with roles), for work done on their behalf such as the demo workflow. */
  async actorByEmail(email: string): Promise<Actor | undefined> {
    const person = await this.repository.findActorByEmail(this.database.db, email);
    return person
      ? { id: person.id, name: person.name, email: person.email, roles: person.roles }
      : undefined;
  }
}

/** A proposal waiting for a reviewer, as the inbox lists it. */
interface WaitingDecision {
  id: string;
  title: string;
  status: ProgramState;
  updated_at: Date;
  lead_name: string | null;
  lead_user_id: string | null;
  step: ApprovalStep | undefined;
  roles: Role[];
  needsAnotherApprover: boolean;
}
