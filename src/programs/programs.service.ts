import type { AuditService } from '../audit/audit.service.ts';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import { type Clock, isoDate } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import type { Role as AccountRole, ProgramStatus } from '../platform/db/schema.ts';
import {
  AppError,
  type FieldProblem,
  forbidden,
  invalid,
  invalidState,
  notFound,
} from '../platform/errors.ts';
import { type Actor, hasRole } from '../platform/http/page-context.ts';
import { newId } from '../platform/ids.ts';
import {
  type ApprovalChain,
  fullProposalChain,
  nextStep,
  pilotChain,
  remainingSteps,
  validateChain,
} from './approval-chain.ts';
import { seedDemoWorkflow } from './demo-workflow.ts';
import { type ProgramEvent, programStateLabels, transition } from './lifecycle.ts';
import { academicYearOf } from './pilot-calendar.ts';
import {
  type FormValues,
  type KnownReferences,
  type ProgramFields,
  parseProgramFields,
  parseProposalFields,
} from './program-form.ts';
import {
  chainProgress,
  changedFields,
  fieldsOf,
  offeredActions,
  type ProgramFacts,
  type ProgramSnapshot,
  snapshotOf,
  transitionContext,
} from './program-state.ts';
import { type ProgramMailContent, programMail } from './programs.mail.ts';
import { type ProgramRow, ProgramsRepository } from './programs.repository.ts';
import { acceptFiles, type UploadedFile } from './proposal-files.ts';

/** Roles that see every program and its proposal. */
export const staffRoles: readonly AccountRole[] = ['credentials_office', 'approver', 'admin'];

const maxComment = 5000;

/** Everything one program's workflow decisions depend on, read inside the deciding transaction. */
interface Loaded {
  program: ProgramRow;
  courses: string[];
  proposal: Awaited<ReturnType<ProgramsRepository['findProposal']>>;
  signers: Awaited<ReturnType<ProgramsRepository['listSigners']>>;
  files: Awaited<ReturnType<ProgramsRepository['listFiles']>>;
  approvals: Awaited<ReturnType<ProgramsRepository['listApprovalSteps']>>;
}

interface Chains {
  pilot: ApprovalChain;
  full: ApprovalChain;
}

const live = (approvals: Loaded['approvals'], chainKey: string) =>
  approvals.filter((a) => a.chain_key === chainKey && a.decision === 'approved' && a.cleared_at === null);

function factsOf(loaded: Loaded, chains: Chains): ProgramFacts {
  return {
    status: loaded.program.status,
    leadUserId: loaded.program.lead_user_id,
    signers: loaded.signers,
    hasMou: loaded.files.some((f) => f.kind === 'mou'),
    mouRequired: Boolean(loaded.proposal?.is_interdisciplinary || loaded.proposal?.has_third_party),
    fullChainDone: live(loaded.approvals, chains.full.key).map((a) => a.step_key),
  };
}

function cleanComment(comment: string | undefined): string | undefined {
  const text = comment?.trim();
  if (text && text.length > maxComment) {
    throw invalid([{ field: 'comment', reason: `must be at most ${maxComment} characters` }]);
  }
  return text || undefined;
}

/**
 * Program proposals and their life: drafting, signatures, the credentials office's review, approval chains,
 * pilots, full proposals, versioned edits and retirement. Every change is one transaction with its audit entry
 * and the e-mails it causes.
 */
export class ProgramsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly institution: InstitutionService,
    private readonly clock: Clock,
    private readonly settings: { publicUrl: string },
    private readonly repository = new ProgramsRepository(),
  ) {}

  // ---- reading --------------------------------------------------------------------------------------------

  /** Departments, courses and certificates the proposal form offers, and the institution's default fee. */
  async formReferences() {
    const lists = await this.repository.references(this.database.db);
    return { ...lists, defaultFeeCents: (await this.institution.get()).default_fee_cents };
  }

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
    const loaded = await this.#load(db, programId);
    this.#assertCanView(actor, loaded);
    const chains = await this.#chains(db);
    const [notes, versions, history] = await Promise.all([
      this.repository.listNotes(db, programId),
      this.repository.listVersions(db, programId),
      this.audit.list({ entityType: 'program', entityId: programId, limit: 500, offset: 0 }),
    ]);
    const facts = factsOf(loaded, chains);
    const program = loaded.program;
    return {
      program,
      fields: fieldsOf(loaded.program, loaded.courses),
      proposal: loaded.proposal,
      files: loaded.files,
      signers: loaded.signers,
      notes,
      versions,
      history: history.reverse(),
      chains: {
        pilot: {
          chain: chains.pilot,
          steps: chainProgress(
            chains.pilot,
            live(loaded.approvals, chains.pilot.key),
            program.status === 'submitted',
          ),
        },
        full: {
          chain: chains.full,
          steps: chainProgress(
            chains.full,
            live(loaded.approvals, chains.full.key),
            program.status === 'full_proposal_review',
          ),
        },
      },
      returned: loaded.approvals.filter((a) => a.decision === 'returned'),
      mouRequired: facts.mouRequired,
      actions: offeredActions(actor, facts, chains.full),
      isLead: loaded.program.lead_user_id === actor.id,
      canEdit: this.#editMode(actor, loaded.program) !== undefined,
      canManageSigners: loaded.program.lead_user_id === actor.id && loaded.program.status === 'draft',
      canAddNote: hasRole(actor, 'credentials_office'),
    };
  }

  /** A stored syllabus or MOU, for someone who may see the program. */
  async downloadFile(actor: Actor, programId: string, fileId: string) {
    const db = this.database.db;
    this.#assertCanView(actor, await this.#load(db, programId));
    const file = await this.repository.findFile(db, programId, fileId);
    if (!file) throw notFound('That file');
    return file;
  }

  /** The values the edit form starts from, and whether the edit makes a new version. */
  async editForm(actor: Actor, programId: string) {
    const loaded = await this.#load(this.database.db, programId);
    this.#assertCanView(actor, loaded);
    const mode = this.#editMode(actor, loaded.program);
    if (!mode) throw this.#cannotEdit(loaded.program.status);
    return {
      program: loaded.program,
      fields: fieldsOf(loaded.program, loaded.courses),
      proposal: loaded.proposal,
      files: loaded.files,
      mode,
    };
  }

  /** What waits for this person: signatures to give, pilot decisions and approval steps for their role. */
  async inbox(actor: Actor) {
    const db = this.database.db;
    const chains = await this.#chains(db);
    const signatures = await this.repository.pendingSignaturesOf(db, actor.id);
    const pilotDecisions = hasRole(actor, 'credentials_office', 'approver')
      ? await this.repository.programsInStatus(db, ['submitted'])
      : [];
    const inReview = await this.repository.programsInStatus(db, ['full_proposal_review']);
    const done = await this.repository.liveApprovals(
      db,
      inReview.map((p) => p.id),
      chains.full.key,
    );
    const approvalSteps = inReview.flatMap((program) => {
      const step = nextStep(chains.full, done.get(program.id) ?? []);
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

  /**
   * The snapshot of the program as it stands now, written as its current version if it was not yet (programs
   * loaded before versioning existed). Credentials record this version number when they are issued.
   */
  async currentVersion(programId: string): Promise<ProgramSnapshot> {
    return this.database.db.transaction().execute(async (trx) => {
      const program = await this.repository.findProgram(trx, programId);
      if (!program) throw notFound('That program');
      return this.#ensureVersion(trx, program, await this.repository.courseCodes(trx, programId));
    });
  }

  programIdBySlug(slug: string): Promise<string | undefined> {
    return this.repository.findProgramIdBySlug(this.database.db, slug);
  }

  /**
   * For the demo university, after it is seeded: two draft proposals move on, one awaiting the approver's
   * signature and one submitted to the credentials office. Does nothing where that has happened already.
   */
  seedDemoWorkflow(): Promise<number> {
    return seedDemoWorkflow(this, async (email) => {
      const person = await this.repository.findActorByEmail(this.database.db, email);
      return person
        ? { id: person.id, name: person.name, email: person.email, roles: person.roles }
        : undefined;
    });
  }

  async findVersion(programId: string, version: number) {
    return this.repository.findVersion(this.database.db, programId, version);
  }

  // ---- drafting and editing -------------------------------------------------------------------------------

  /** A program lead's new proposal, saved as a draft with its files. Returns the new program's id. */
  async draftProposal(actor: Actor, values: FormValues, files: readonly UploadedFile[]): Promise<string> {
    if (!hasRole(actor, 'program_lead')) throw forbidden('Only program leads can draft a proposal.');
    const { fields, proposal, accepted } = await this.#readForm(values, files, true);
    const id = newId();
    await this.database.db.transaction().execute(async (trx) => {
      if (await this.repository.slugTaken(trx, fields.slug)) {
        throw invalid([{ field: 'slug', reason: 'is already used by another program' }]);
      }
      await this.repository.insertProgram(trx, id, actor.id, fields);
      await this.repository.replaceCourses(trx, id, fields.courses);
      await this.repository.saveProposal(trx, id, proposal!);
      for (const file of accepted) {
        await this.repository.saveFile(trx, { id: newId(), programId: id, ...file, uploadedBy: actor.id });
      }
      await this.audit.record(trx, actor, {
        action: 'program.drafted',
        entityType: 'program',
        entityId: id,
        after: { title: fields.title, slug: fields.slug, files: accepted.map((f) => f.kind) },
      });
    });
    return id;
  }

  /**
   * Saves an edit. A draft is changed in place (with its proposal and files); an offered program (pilot or
   * established) gets a new version, and the version it had stays as it was.
   */
  async editProgram(
    actor: Actor,
    programId: string,
    values: FormValues,
    files: readonly UploadedFile[],
    options: { expectedVersion: number; changeNote?: string },
  ): Promise<{ version: number; changed: string[]; mode: 'draft' | 'version' }> {
    const start = await this.#load(this.database.db, programId);
    this.#assertCanView(actor, start);
    const mode = this.#editMode(actor, start.program);
    if (!mode) throw this.#cannotEdit(start.program.status);
    const isDraft = mode === 'draft';
    // The address of an offered program is public, so it stays as it is.
    const read = await this.#readForm(
      isDraft ? values : { ...values, slug: start.program.slug },
      isDraft ? files : [],
      isDraft,
    );
    const note = (options.changeNote ?? '').trim().slice(0, 1000);
    return this.database.db.transaction().execute(async (trx) => {
      const status = await this.repository.lockProgram(trx, programId);
      const program = (await this.repository.findProgram(trx, programId))!;
      if (status !== start.program.status || program.version !== options.expectedVersion) {
        throw new AppError(
          'CONFLICT',
          'Someone else changed this program meanwhile. Reload it and edit again.',
        );
      }
      if (await this.repository.slugTaken(trx, read.fields.slug, programId)) {
        throw invalid([{ field: 'slug', reason: 'is already used by another program' }]);
      }
      const courses = await this.repository.courseCodes(trx, programId);
      const before = fieldsOf(program, courses);
      const changed: string[] = changedFields(before, read.fields);
      if (isDraft) {
        await this.repository.updateProgram(trx, programId, read.fields, program.version, program.version);
        await this.repository.replaceCourses(trx, programId, read.fields.courses);
        await this.repository.saveProposal(trx, programId, read.proposal!);
        for (const file of read.accepted) {
          await this.repository.saveFile(trx, { id: newId(), programId, ...file, uploadedBy: actor.id });
          changed.push(file.kind);
        }
        await this.audit.record(trx, actor, {
          action: 'program.edited',
          entityType: 'program',
          entityId: programId,
          after: { changed, proposal: true },
        });
        return { version: program.version, changed, mode };
      }
      if (changed.length === 0) return { version: program.version, changed, mode };
      await this.#ensureVersion(trx, program, courses);
      const version = program.version + 1;
      await this.repository.updateProgram(trx, programId, read.fields, program.version, version);
      await this.repository.replaceCourses(trx, programId, read.fields.courses);
      const updated = (await this.repository.findProgram(trx, programId))!;
      await this.repository.insertVersion(trx, {
        programId,
        version,
        snapshot: snapshotOf(updated, read.fields.courses),
        note,
        createdBy: actor.id,
      });
      await this.audit.record(trx, actor, {
        action: 'program.version_created',
        entityType: 'program',
        entityId: programId,
        before: { version: program.version },
        after: { version, changed, note },
      });
      return { version, changed, mode };
    });
  }

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
      const id = newId();
      await this.repository.insertSigner(trx, {
        id,
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

  /** The credentials office's notes from consulting on a proposal, kept with it. */
  async addConsultationNote(actor: Actor, programId: string, body: string): Promise<void> {
    if (!hasRole(actor, 'credentials_office')) {
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

  // ---- the workflow ---------------------------------------------------------------------------------------

  requestSignatures(actor: Actor, programId: string) {
    return this.#apply(actor, programId, 'request_signatures', {});
  }

  /** A named signer signs the proposal; when the last one signs, the lead is told it can be submitted. */
  async signProposal(actor: Actor, programId: string, comment?: string): Promise<void> {
    const text = cleanComment(comment);
    await this.database.db.transaction().execute(async (trx) => {
      const status = await this.repository.lockProgram(trx, programId);
      if (!status) throw notFound('That program');
      const loaded = await this.#load(trx, programId);
      const signer = loaded.signers.find((s) => s.user_id === actor.id);
      if (!signer) throw forbidden('You are not a named signer of this proposal.');
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
        await this.#mailLead(trx, loaded.program, {
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

  declineToSign(actor: Actor, programId: string, comment: string) {
    return this.#apply(actor, programId, 'signature_declined', { comment });
  }

  submitProposal(actor: Actor, programId: string) {
    return this.#apply(actor, programId, 'submit', {});
  }

  requestChanges(actor: Actor, programId: string, comment: string) {
    return this.#apply(actor, programId, 'request_changes', { comment });
  }

  reviseProposal(actor: Actor, programId: string) {
    return this.#apply(actor, programId, 'revise', {});
  }

  approveForPilot(actor: Actor, programId: string, comment?: string) {
    return this.#apply(actor, programId, 'approve_pilot', { comment });
  }

  submitFullProposal(actor: Actor, programId: string, comment?: string) {
    return this.#apply(actor, programId, 'submit_full_proposal', { comment });
  }

  approveStep(actor: Actor, programId: string, comment?: string) {
    return this.#apply(actor, programId, 'approve_step', { comment });
  }

  returnToPilot(actor: Actor, programId: string, comment: string) {
    return this.#apply(actor, programId, 'reject', { comment });
  }

  retireProgram(actor: Actor, programId: string, comment?: string) {
    return this.#apply(actor, programId, 'retire', { comment });
  }

  /** Runs one lifecycle event by name (the program page posts the event it offered). */
  applyAction(actor: Actor, programId: string, action: ProgramEvent | 'sign', comment?: string) {
    switch (action) {
      case 'sign':
        return this.signProposal(actor, programId, comment);
      case 'request_signatures':
      case 'submit':
      case 'revise':
        return this.#apply(actor, programId, action, {});
      default:
        return this.#apply(actor, programId, action, { comment });
    }
  }

  /**
   * One lifecycle step: lock the program, ask the state machine, refuse with its reason or carry out the
   * effects it names, and record the step, all in one transaction.
   */
  async #apply(
    actor: Actor,
    programId: string,
    event: ProgramEvent,
    input: { comment?: string | undefined },
  ): Promise<ProgramStatus> {
    const comment = cleanComment(input.comment);
    const at = this.clock.now();
    // Read before the transaction: on PGlite a second handle would wait for the transaction's lock.
    const startMonth = (await this.institution.get()).academic_year_start_month;
    return this.database.db.transaction().execute(async (trx) => {
      const status = await this.repository.lockProgram(trx, programId);
      if (!status) throw notFound('That program');
      const loaded = await this.#load(trx, programId);
      this.#assertCanView(actor, loaded);
      const chains = await this.#chains(trx);
      const facts = factsOf(loaded, chains);
      const result = transition(status, event, transitionContext(actor, facts, chains.full, comment));
      if (!result.ok) throw invalidState(result.reason);
      const program = loaded.program;
      let to = result.to;
      const detail: Record<string, unknown> = {};

      switch (event) {
        case 'request_signatures':
          this.#assertReadyForSignatures(loaded);
          await this.repository.resetSignatures(trx, programId, ['signed', 'declined']);
          for (const signer of loaded.signers) {
            await this.#mail(trx, {
              to: signer,
              subject: `Your signature is requested: ${program.title}`,
              lines: [
                `${actor.name} asks you to review and sign the proposal for ${program.title} as ${signer.role_label}.`,
                'Sign it, or decline with a comment, from your inbox.',
              ],
              action: { label: 'Open my inbox', url: `${this.settings.publicUrl}/inbox` },
            });
          }
          break;
        case 'signature_declined': {
          const signer = loaded.signers.find((s) => s.user_id === actor.id)!;
          await this.repository.decideSignature(trx, signer.id, 'declined', comment!, at);
          await this.repository.resetSignatures(trx, programId, ['signed']);
          detail.role = signer.role_label;
          await this.#mailLead(trx, program, {
            subject: `A signer declined: ${program.title}`,
            lines: [
              `${actor.name} (${signer.role_label}) declined to sign the proposal for ${program.title}, which is back to draft.`,
              'Other signatures will be asked for again once you have revised it.',
            ],
            comment,
            label: 'Open the proposal',
          });
          break;
        }
        case 'submit':
          for (const person of await this.repository.usersWithRoles(trx, ['credentials_office'])) {
            await this.#mail(trx, {
              to: person,
              subject: `Proposal submitted: ${program.title}`,
              lines: [`${actor.name} submitted the proposal for ${program.title}, signed by everyone named.`],
              action: { label: 'Review the proposal', url: this.#url(programId) },
            });
          }
          break;
        case 'request_changes':
          await this.#mailLead(trx, program, {
            subject: `Changes requested: ${program.title}`,
            lines: [`The credentials office asks for changes to the proposal for ${program.title}.`],
            comment,
            label: 'Open the proposal',
          });
          break;
        case 'revise':
          await this.repository.resetSignatures(trx, programId, ['signed', 'declined']);
          break;
        case 'approve_pilot':
          to = await this.#approvePilotStep(trx, actor, loaded, chains.pilot, { comment, at, startMonth });
          detail.step = nextStep(
            chains.pilot,
            live(loaded.approvals, chains.pilot.key).map((a) => a.step_key),
          )?.name;
          break;
        case 'submit_full_proposal': {
          if (comment) await this.repository.saveFullProposalSummary(trx, programId, comment);
          const first = nextStep(chains.full, []);
          await this.#mailRole(trx, first?.role, program, `A full proposal awaits the ${first?.name}`);
          break;
        }
        case 'approve_step': {
          const done = facts.fullChainDone;
          const step = nextStep(chains.full, done)!;
          await this.#recordStep(trx, actor, programId, chains.full.key, step, 'approved', comment, at);
          detail.step = step.name;
          if (to === 'full_proposal_review') {
            const following = nextStep(chains.full, [...done, step.key])!;
            await this.#mailRole(
              trx,
              following.role,
              program,
              `A full proposal awaits the ${following.name}`,
            );
          } else {
            await this.#mailLead(trx, program, {
              subject: `Approved as an established program: ${program.title}`,
              lines: [
                `Every step of the ${chains.full.name.toLowerCase()} is complete: ${program.title} is now established.`,
              ],
              comment,
              label: 'Open the program',
            });
          }
          break;
        }
        case 'reject': {
          const step = nextStep(chains.full, facts.fullChainDone);
          if (step)
            await this.#recordStep(trx, actor, programId, chains.full.key, step, 'returned', comment, at);
          await this.repository.clearApprovalSteps(trx, programId, chains.full.key, at);
          detail.step = step?.name;
          await this.#mailLead(trx, program, {
            subject: `Full proposal returned: ${program.title}`,
            lines: [
              `The ${step?.name ?? 'reviewers'} returned the full proposal for ${program.title}; it continues as a pilot.`,
            ],
            comment,
            label: 'Open the program',
          });
          break;
        }
        case 'retire':
          if (program.lead_user_id !== actor.id) {
            await this.#mailLead(trx, program, {
              subject: `Program retired: ${program.title}`,
              lines: [`${actor.name} retired ${program.title}. It is no longer offered to new learners.`],
              comment,
              label: 'Open the program',
            });
          }
          break;
        default:
          break;
      }

      if (to !== status) await this.repository.setStatus(trx, programId, to);
      await this.audit.record(trx, actor, {
        action: `program.${event}`,
        entityType: 'program',
        entityId: programId,
        before: { status },
        after: { status: to, ...detail, ...(comment ? { comment } : {}) },
      });
      return to;
    });
  }

  /**
   * Records the next step of the pilot chain. Only the last step starts the pilot; with a longer chain the
   * proposal stays submitted until every body has approved.
   */
  async #approvePilotStep(
    trx: Db,
    actor: Actor,
    loaded: Loaded,
    chain: ApprovalChain,
    { comment, at, startMonth }: { comment: string | undefined; at: Date; startMonth: number },
  ): Promise<ProgramStatus> {
    const done = live(loaded.approvals, chain.key).map((a) => a.step_key);
    const step = nextStep(chain, done);
    if (step) {
      // The credentials office records the decision of the governing body on its behalf.
      if (!actor.roles.includes(step.role) && !hasRole(actor, 'credentials_office')) {
        throw invalidState(
          `Only the credentials office or a holder of the ${step.role} role can record the ${step.name} decision`,
        );
      }
      await this.#recordStep(trx, actor, loaded.program.id, chain.key, step, 'approved', comment, at);
      if (remainingSteps(chain, [...done, step.key]) > 0) return 'submitted';
    }
    const program = loaded.program;
    const today = isoDate(at);
    const startYear = Number(academicYearOf(today, startMonth).slice(0, 4));
    await this.repository.startPilot(trx, program.id, today, startYear);
    await this.#ensureVersion(trx, program, loaded.courses);
    await this.#mailLead(trx, program, {
      subject: `Approved for a pilot: ${program.title}`,
      lines: [
        `${program.title} is approved to run as a pilot from ${today}, for up to three academic years.`,
        'A program review is due at the end of each academic year, and the decision to propose it in full or retire it is due when the third year begins.',
      ],
      comment,
      label: 'Open the program',
    });
    return 'pilot';
  }

  async #recordStep(
    trx: Db,
    actor: Actor,
    programId: string,
    chainKey: string,
    step: { key: string; name: string },
    decision: 'approved' | 'returned',
    comment: string | undefined,
    at: Date,
  ): Promise<void> {
    await this.repository.insertApprovalStep(trx, {
      id: newId(),
      programId,
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

  // ---- helpers --------------------------------------------------------------------------------------------

  async #load(db: Db, programId: string): Promise<Loaded> {
    const program = await this.repository.findProgram(db, programId);
    if (!program) throw notFound('That program');
    const [courses, proposal, signers, files, approvals] = await Promise.all([
      this.repository.courseCodes(db, programId),
      this.repository.findProposal(db, programId),
      this.repository.listSigners(db, programId),
      this.repository.listFiles(db, programId),
      this.repository.listApprovalSteps(db, programId),
    ]);
    return { program, courses, proposal, signers, files, approvals };
  }

  /** The institution's chains, checked; the demo defaults when none is configured. */
  async #chains(db: Db): Promise<Chains> {
    const read = async (key: string, fallback: ApprovalChain): Promise<ApprovalChain> => {
      const row = await this.repository.findChain(db, key);
      if (!row) return fallback;
      const chain = { key: row.key, name: row.name, steps: row.steps } as ApprovalChain;
      const check = validateChain(chain);
      if (!check.ok) {
        throw new AppError(
          'INVALID_STATE',
          `The "${row.name}" approval chain is misconfigured: ${check.problems.join('; ')}`,
        );
      }
      return chain;
    };
    return { pilot: await read('pilot', pilotChain), full: await read('full_proposal', fullProposalChain) };
  }

  #assertCanView(actor: Actor, loaded: Loaded): void {
    if (hasRole(actor, ...staffRoles)) return;
    if (loaded.program.lead_user_id === actor.id) return;
    if (loaded.signers.some((s) => s.user_id === actor.id)) return;
    throw forbidden('This program is not one you lead, sign or review.');
  }

  /** 'draft' for the lead of a draft; 'version' for the lead or credentials office of an offered program. */
  #editMode(actor: Actor, program: ProgramRow): 'draft' | 'version' | undefined {
    const isLead = program.lead_user_id === actor.id;
    if (program.status === 'draft') return isLead ? 'draft' : undefined;
    if (program.status === 'pilot' || program.status === 'established') {
      return isLead || hasRole(actor, 'credentials_office') ? 'version' : undefined;
    }
    return undefined;
  }

  #cannotEdit(status: ProgramStatus): AppError {
    if (status === 'draft') return forbidden('Only the program lead edits a draft proposal.');
    return invalidState(
      status === 'pilot' || status === 'established'
        ? 'Only the program lead or the credentials office can edit an offered program'
        : `A program cannot be edited while it is "${programStateLabels[status]}"`,
    );
  }

  async #lockForLead(trx: Db, actor: Actor, programId: string, what: string): Promise<Loaded> {
    const status = await this.repository.lockProgram(trx, programId);
    if (!status) throw notFound('That program');
    const loaded = await this.#load(trx, programId);
    if (loaded.program.lead_user_id !== actor.id) throw forbidden(`Only the program lead can ${what}.`);
    if (status !== 'draft') throw invalidState(`Signers can only be changed while the proposal is a draft`);
    return loaded;
  }

  #assertReadyForSignatures(loaded: Loaded): void {
    const missing: string[] = [];
    if (loaded.signers.length === 0) missing.push('at least one signer');
    if (!loaded.proposal?.market_analysis.trim()) missing.push('the market analysis');
    if (!loaded.proposal?.financial_model.trim()) missing.push('the financial model');
    if (!loaded.proposal?.marketing_plan.trim()) missing.push('the marketing plan');
    if (!loaded.files.some((f) => f.kind === 'syllabus')) missing.push('a syllabus');
    if (missing.length > 0) throw invalidState(`Before asking for signatures, add ${missing.join(', ')}`);
  }

  /** Reads and checks a form; the references and slug are checked here, files by `acceptFiles`. */
  async #readForm(values: FormValues, files: readonly UploadedFile[], withProposal: boolean) {
    const lists = await this.repository.references(this.database.db);
    const known: KnownReferences = {
      departments: new Set(lists.departments.map((d) => d.code)),
      courses: new Set(lists.courses.map((c) => c.code)),
      certificates: new Set(lists.certificates.map((c) => c.slug)),
    };
    const program = parseProgramFields(values, known);
    const proposal = withProposal ? parseProposalFields(values) : undefined;
    const { accepted, problems: fileProblems } = acceptFiles(files);
    const problems = [
      ...(program.ok ? [] : program.problems),
      ...(proposal && !proposal.ok ? proposal.problems : []),
      ...fileProblems,
    ];
    if (problems.length > 0 || !program.ok) throw invalid(problems);
    return {
      fields: program.value as ProgramFields,
      proposal: proposal?.ok ? proposal.value : undefined,
      accepted,
    };
  }

  async #ensureVersion(trx: Db, program: ProgramRow, courses: string[]): Promise<ProgramSnapshot> {
    const snapshot = snapshotOf(program, courses);
    await this.repository.insertVersion(trx, {
      programId: program.id,
      version: program.version,
      snapshot,
      note: '',
      createdBy: null,
    });
    const stored = await this.repository.findVersion(trx, program.id, program.version);
    return (stored?.snapshot as ProgramSnapshot | undefined) ?? snapshot;
  }

  #url(programId: string): string {
    return `${this.settings.publicUrl}/programs/${programId}`;
  }

  async #mail(trx: Db, content: ProgramMailContent & { to: { name: string; email: string } }): Promise<void> {
    await this.notifications.queueMail(trx, { ...programMail(content), kind: 'program' });
  }

  async #mailLead(
    trx: Db,
    program: ProgramRow,
    message: { subject: string; lines: string[]; comment?: string | undefined; label: string },
  ): Promise<void> {
    if (!program.lead_email || !program.lead_name) return;
    await this.#mail(trx, {
      to: { name: program.lead_name, email: program.lead_email },
      subject: message.subject,
      lines: message.lines,
      comment: message.comment ?? null,
      action: { label: message.label, url: this.#url(program.id) },
    });
  }

  async #mailRole(
    trx: Db,
    role: AccountRole | undefined,
    program: ProgramRow,
    subject: string,
  ): Promise<void> {
    if (!role) return;
    for (const person of await this.repository.usersWithRoles(trx, [role])) {
      await this.#mail(trx, {
        to: person,
        subject: `${subject}: ${program.title}`,
        lines: [`The full proposal for ${program.title} is ready for your decision.`],
        action: { label: 'Open my inbox', url: `${this.settings.publicUrl}/inbox` },
      });
    }
  }
}
