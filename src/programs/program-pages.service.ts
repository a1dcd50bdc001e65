import type { AuditService } from '../audit/audit.service.ts';
import type { Database } from '../platform/db/database.ts';
import type { ProgramStatus } from '../platform/db/schema.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import { type Actor, hasRole } from '../platform/http/page-context.ts';
import { nextStep } from './approval-chain.ts';
import type { ApprovalChainsService, ChainKey } from './approval-chains.service.ts';
import {
  assertCanView,
  editModeOf,
  factsOf,
  liveApprovals,
  loadProgram,
  staffRoles,
} from './loaded-program.ts';
import { chainProgress, fieldsOf, offeredActions } from './program-state.ts';
import type { ProgramsRepository } from './programs.repository.ts';

/** What the staff pages of programs show: the lists, one program's page, its files, and each person's inbox. */
export class ProgramPagesService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly chains: ApprovalChainsService,
    private readonly repository: ProgramsRepository,
  ) {}

  /** Staff see every program (optionally of one status); a program lead sees the programs they lead. */
  listPrograms(actor: Actor, filter: { status?: ProgramStatus } = {}) {
    const isStaff = hasRole(actor, ...staffRoles);
    if (!isStaff && !hasRole(actor, 'program_lead')) throw forbidden();
    return this.repository.listPrograms(this.database.db, {
      ...(isStaff ? {} : { leadId: actor.id }),
      ...(filter.status ? { status: filter.status } : {}),
    });
  }

  /** Everything the staff page of one program shows, including what this person may do now. */
  async programPage(actor: Actor, programId: string) {
    const db = this.database.db;
    const loaded = await loadProgram(this.repository, db, programId);
    assertCanView(actor, loaded);
    const chains = await this.chains.forProgram(db, programId);
    const [notes, versions, history] = await Promise.all([
      this.repository.listNotes(db, programId),
      this.repository.listVersions(db, programId),
      this.audit.list({ entityType: 'program', entityId: programId, limit: 500, offset: 0 }),
    ]);
    const facts = factsOf(loaded, chains.full);
    const program = loaded.program;
    const progress = (chain: typeof chains.pilot, activeIn: readonly ProgramStatus[]) => {
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
    return {
      program,
      fields: fieldsOf(program, loaded.courses),
      proposal: loaded.proposal,
      files: loaded.files,
      signers: loaded.signers,
      notes,
      versions,
      history: history.reverse(),
      chains: {
        pilot: progress(chains.pilot, ['submitted', 'changes_requested']),
        full: progress(chains.full, ['full_proposal_review']),
      },
      returned: loaded.approvals.filter((a) => a.decision === 'returned'),
      mouRequired: facts.mouRequired,
      actions: offeredActions(actor, facts, chains.full),
      isLead: program.lead_user_id === actor.id,
      canEdit: editModeOf(actor, program) !== undefined,
      canManageSigners: program.lead_user_id === actor.id && program.status === 'draft',
      canAddNote: hasRole(actor, 'credentials_office'),
    };
  }

  /** A stored syllabus or MOU, for someone who may see the program. */
  async downloadFile(actor: Actor, programId: string, fileId: string) {
    const db = this.database.db;
    assertCanView(actor, await loadProgram(this.repository, db, programId));
    const file = await this.repository.findFile(db, programId, fileId);
    if (!file) throw notFound('That file');
    return file;
  }

  /** What waits for this person: signatures to give, pilot decisions and approval steps for their role. */
  async inbox(actor: Actor) {
    const db = this.database.db;
    const signatures = await this.repository.pendingSignaturesOf(db, actor.id);
    const pilotDecisions = hasRole(actor, 'credentials_office', 'approver')
      ? await this.repository.programsInStatus(db, ['submitted'])
      : [];
    const inReview = await this.repository.programsInStatus(db, ['full_proposal_review']);
    const ids = inReview.map((p) => p.id);
    const fullChains = await this.chains.fullChainsOf(db, ids);
    const done = await this.repository.liveApprovals(db, ids, 'full_proposal');
    const approvalSteps = inReview.flatMap((program) => {
      const step = nextStep(fullChains.get(program.id)!, done.get(program.id) ?? []);
      return step && actor.roles.includes(step.role) ? [{ ...program, step }] : [];
    });
    const mine = hasRole(actor, 'program_lead')
      ? await this.repository.listPrograms(db, { leadId: actor.id })
      : [];
    const forLead = mine.filter(
      (p) => p.status === 'changes_requested' || p.status === 'awaiting_signatures',
    );
    const readyToSubmit: typeof forLead = [];
    for (const program of forLead) {
      if (program.status === 'changes_requested') {
        readyToSubmit.push(program);
        continue;
      }
      const signers = await this.repository.listSigners(db, program.id);
      if (signers.length > 0 && signers.every((s) => s.status === 'signed')) readyToSubmit.push(program);
    }
    return { signatures, pilotDecisions, approvalSteps, forLead: readyToSubmit };
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
