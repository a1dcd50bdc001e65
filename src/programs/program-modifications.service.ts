import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { forbidden, invalidState, notFound } from '../platform/errors.ts';
import type { EventPublisher } from '../platform/events.ts';
import { newId } from '../platform/ids.ts';
import { type ApprovalChain, type ApprovalStep, nextStep, remainingSteps } from './approval-chain.ts';
import type { ApprovalChainsService } from './approval-chains.service.ts';
import { type ModificationEvent, modificationTransition } from './lifecycle.ts';
import { cleanComment } from './loaded-program.ts';
import { kindOfChange, withChanges } from './program-changes.ts';
import type { ProgramFields } from './program-form.ts';
import type { ProgramMailer } from './program-mailer.ts';
import { ProgramModificationsRepository } from './program-modifications.repository.ts';
import { changedFields, fieldsOf, snapshotOf } from './program-state.ts';
import { ensureVersion } from './program-versions.ts';
import { isOpenForEnrolment } from './program-vocabulary.ts';
import type { ProgramsEvents } from './programs.events.ts';
import { editModeOf, mayDecideStep, mayPublishWording, ownChangeRefusal } from './programs.policy.ts';
import type { ProgramRow, ProgramsRepository } from './programs.repository.ts';

/** What saving an edit to an approved program did. */
export type SavedChange =
  | { outcome: 'unchanged'; version: number; changed: string[] }
  | { outcome: 'published'; version: number; changed: string[] }
  | { outcome: 'proposed'; version: number; changed: string[] };

/**
 * Changes to an approved (pilot or established) program. A wording fix by the credentials office is published
 * at once, audited with the text before and after, and the lead is told. Any other change becomes the program's
 * open *modification*: drafted, submitted, decided step by step along the modification chain in force when it
 * was submitted, and only then published as the program's next version. Until then the catalog, enrolment and
 * issuing keep reading the approved version in the program row, and badges keep the version they were issued
 * under. Nobody decides a change they proposed or to a program they lead.
 */
export class ProgramModificationsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly chains: ApprovalChainsService,
    private readonly mailer: ProgramMailer,
    private readonly programs: ProgramsRepository,
    private readonly events: EventPublisher<ProgramsEvents>,
    private readonly repository = new ProgramModificationsRepository(),
  ) {}

  /** The open modification's fields, which an edit form continues from, or undefined when there is none. */
  async openFields(programId: string): Promise<ProgramFields | undefined> {
    const open = await this.repository.findOpen(this.database.db, programId);
    return open?.status === 'draft' ? (open.fields as ProgramFields) : undefined;
  }

  /**
   * Saves an edit of an approved program, inside the editing transaction (the program row is locked). `proposed`
   * is the whole form as checked; what changed is worked out against the approved version.
   */
  async saveWithin(
    trx: Db,
    actor: Actor,
    program: ProgramRow,
    courses: string[],
    proposed: ProgramFields,
    note: string,
  ): Promise<SavedChange> {
    const changed: string[] = changedFields(fieldsOf(program, courses), proposed);
    const open = await this.repository.lockOpen(trx, program.id);
    if (open?.status === 'in_review') {
      throw invalidState(
        'A change to this program is under review. Withdraw it, or wait for the decision, before proposing another.',
      );
    }
    const kind = kindOfChange(changed);
    if (kind === 'none') return { outcome: 'unchanged', version: program.version, changed };
    if (kind === 'wording' && mayPublishWording(actor) && !open) {
      const version = await this.#publish(trx, actor, program, courses, proposed, changed, note);
      await this.#auditWording(trx, actor, program, proposed, changed, version);
      if (program.lead_user_id !== actor.id) {
        await this.mailer.toLead(trx, program, {
          subject: `Wording updated: ${program.title}`,
          lines: [
            `${actor.name} of the credentials office updated the wording of ${program.title} (${changed.join(', ')}). It is published as version ${version}.`,
          ],
          comment: note || undefined,
          label: 'Open the program',
        });
      }
      return { outcome: 'published', version, changed };
    }
    const row = { baseVersion: program.version, fields: proposed, changed, note };
    if (open) await this.repository.updateDraft(trx, open.id, row);
    else
      await this.repository.insert(trx, { id: newId(), programId: program.id, proposedBy: actor.id, ...row });
    await this.audit.record(trx, actor, {
      action: open ? 'program.modification_edited' : 'program.modification_drafted',
      entityType: 'program',
      entityId: program.id,
      before: { version: program.version },
      after: { changed, note },
    });
    return { outcome: 'proposed', version: program.version, changed };
  }

  submit(actor: Actor, programId: string) {
    return this.#decide(actor, programId, 'submit');
  }

  approveStep(actor: Actor, programId: string, comment?: string) {
    return this.#decide(actor, programId, 'approve_step', comment);
  }

  returnChange(actor: Actor, programId: string, comment: string) {
    return this.#decide(actor, programId, 'return', comment);
  }

  withdraw(actor: Actor, programId: string) {
    return this.#decide(actor, programId, 'withdraw');
  }

  /** Runs one decision by name, as the program page posts it. */
  apply(actor: Actor, programId: string, event: ModificationEvent, comment?: string) {
    return this.#decide(actor, programId, event, comment);
  }

  /**
   * The changes under review whose next step waits for this person, for their inbox: a step naming a person waits
   * for them alone, any other for the holders of its role. Nobody is listed for their own change or their own
   * program's (they do not decide those).
   */
  async awaiting(actor: Actor) {
    const db = this.database.db;
    const waiting = [];
    for (const change of await this.repository.inReview(db)) {
      const chain = change.chain as ApprovalChain | null;
      if (!chain) continue;
      const done = (await this.repository.liveSteps(db, change.id)).map((s) => s.step_key);
      const step = nextStep(chain, done);
      if (!step || !mayDecideStep(actor, step)) continue;
      if (ownChangeRefusal(actor, { leadUserId: change.lead_user_id }, { proposedBy: change.proposed_by }))
        continue;
      waiting.push({
        programId: change.program_id,
        title: change.title,
        step,
        changed: change.changed as string[],
        proposedByName: change.proposed_by_name,
        since: change.submitted_at ?? change.updated_at,
      });
    }
    return waiting;
  }

  /**
   * The program's open change as its page shows it: each changed field before and after, the chain's steps,
   * and what this person may do (so the page offers nothing the service would refuse).
   */
  async view(actor: Actor, programId: string) {
    const db = this.database.db;
    // Most programs have no change open: then the program itself need not be read.
    const open = await this.repository.findOpen(db, programId);
    if (!open) return undefined;
    const program = await this.programs.findProgram(db, programId);
    if (!program) return undefined;
    const current = fieldsOf(program, await this.programs.courseCodes(db, programId));
    const proposed = open.fields as ProgramFields;
    const live = await this.repository.liveSteps(db, open.id);
    const chain = open.chain as ApprovalChain | null;
    const next = chain
      ? nextStep(
          chain,
          live.map((s) => s.step_key),
        )
      : undefined;
    const context = this.#context(
      actor,
      program,
      chain,
      live.map((s) => s.step_key),
    );
    const own = ownChangeRefusal(
      actor,
      { leadUserId: program.lead_user_id },
      { proposedBy: open.proposed_by },
    );
    const may = (event: ModificationEvent) =>
      modificationTransition(open.status, event, { ...context, comment: 'a comment' }).ok &&
      !(own && (event === 'approve_step' || event === 'return'));
    return {
      id: open.id,
      status: open.status,
      proposedBy: open.proposed_by_name,
      note: open.change_note,
      returnComment: open.return_comment,
      baseVersion: open.base_version,
      fields: (open.changed as string[]).map((field) => ({
        field,
        before: current[field as keyof ProgramFields],
        after: proposed[field as keyof ProgramFields],
      })),
      steps: (chain?.steps ?? []).map((step) => {
        const done = live.find((s) => s.step_key === step.key);
        return {
          name: step.name,
          person: step.person?.name,
          state: done
            ? ('approved' as const)
            : step.key === next?.key
              ? ('next' as const)
              : ('waiting' as const),
          decidedBy: done?.decided_by_name,
          decidedAt: done?.decided_at,
        };
      }),
      can: {
        submit: may('submit'),
        withdraw: may('withdraw'),
        approve: may('approve_step'),
        return: may('return'),
      },
      withheld: own && context.mayDecideStep && open.status === 'in_review' ? own : undefined,
    };
  }

  #context(actor: Actor, program: ProgramRow, chain: ApprovalChain | null, done: string[]) {
    const step = chain ? nextStep(chain, done) : undefined;
    return {
      mayEdit: editModeOf(actor, program) === 'version',
      mayDecideStep: step !== undefined && mayDecideStep(actor, step),
      remainingSteps: chain ? remainingSteps(chain, done) : 0,
    };
  }

  async #decide(actor: Actor, programId: string, event: ModificationEvent, rawComment?: string) {
    const comment = cleanComment(rawComment);
    const at = this.clock.now();
    return this.database.db.transaction().execute(async (trx) => {
      const status = await this.programs.lockProgram(trx, programId);
      if (!status) throw notFound('That program');
      const program = (await this.programs.findProgram(trx, programId))!;
      const open = await this.repository.lockOpen(trx, programId);
      if (!open) throw invalidState('This program has no proposed change open.');
      if (!isOpenForEnrolment(status) && event !== 'withdraw') {
        throw invalidState('The program is no longer offered, so its proposed change can only be withdrawn.');
      }
      let chain = open.chain as ApprovalChain | null;
      // A submission (first or again after a return) is reviewed under the chain in force now.
      if (event === 'submit') chain = await this.chains.currentChain(trx, 'modification');
      const done =
        event === 'submit' ? [] : (await this.repository.liveSteps(trx, open.id)).map((s) => s.step_key);
      const context = { ...this.#context(actor, program, chain, done), ...(comment ? { comment } : {}) };
      const result = modificationTransition(open.status, event, context);
      if (!result.ok) throw invalidState(result.reason);
      if (event === 'approve_step' || event === 'return') {
        const own = ownChangeRefusal(
          actor,
          { leadUserId: program.lead_user_id },
          { proposedBy: open.proposed_by },
        );
        if (own) throw forbidden(own);
      }
      const step = chain ? nextStep(chain, done) : undefined;
      const detail: Record<string, unknown> = {};
      if (event === 'submit') {
        await this.repository.clearSteps(trx, open.id, at);
        await this.repository.setStatus(trx, open.id, 'in_review', { chain: chain!, submittedAt: at });
        await this.#askStep(trx, step, program);
      } else if (event === 'withdraw') {
        await this.repository.setStatus(trx, open.id, 'withdrawn', { decidedAt: at });
      } else if (event === 'return') {
        await this.#recordStep(trx, actor, open.id, step!, 'returned', comment, at);
        await this.repository.clearSteps(trx, open.id, at);
        await this.repository.setStatus(trx, open.id, 'draft', { returnComment: comment ?? null });
        detail.step = step?.name;
        await this.mailer.toLead(trx, program, {
          subject: `Proposed change returned: ${program.title}`,
          lines: [`The ${step?.name ?? 'reviewers'} returned the proposed change to ${program.title}.`],
          comment,
          label: 'Open the program',
        });
      } else {
        await this.#recordStep(trx, actor, open.id, step!, 'approved', comment, at);
        detail.step = step?.name;
        if (result.to === 'in_review') {
          await this.#askStep(trx, nextStep(chain!, [...done, step!.key]), program);
        } else {
          const courses = await this.programs.courseCodes(trx, programId);
          const next = withChanges(
            fieldsOf(program, courses),
            open.fields as ProgramFields,
            open.changed as string[],
          );
          const version = await this.#publish(
            trx,
            actor,
            program,
            courses,
            next,
            open.changed as string[],
            open.change_note,
            open.proposed_by,
          );
          await this.repository.setStatus(trx, open.id, 'approved', {
            decidedAt: at,
            resultingVersion: version,
          });
          detail.version = version;
          await this.mailer.toLead(trx, program, {
            subject: `Change approved and published: ${program.title}`,
            lines: [
              `The proposed change to ${program.title} is approved and published as version ${version}.`,
            ],
            comment,
            label: 'Open the program',
          });
        }
      }
      await this.audit.record(trx, actor, {
        action: `program.modification_${event}`,
        entityType: 'program',
        entityId: programId,
        before: { change: open.status },
        after: { change: result.to, changed: open.changed, ...detail, ...(comment ? { comment } : {}) },
      });
      return result.to;
    });
  }

  /** Writes `fields` as the program's next version (the one before is kept); returns its number. */
  async #publish(
    trx: Db,
    actor: Actor,
    program: ProgramRow,
    courses: string[],
    fields: ProgramFields,
    changed: readonly string[],
    note: string,
    author: string | null = actor.id,
  ): Promise<number> {
    await ensureVersion(this.programs, trx, program, courses);
    const version = program.version + 1;
    await this.programs.updateProgram(trx, program.id, fields, program.version, version);
    await this.events.publish(trx, 'program.rule_changed', { programId: program.id });
    await this.programs.replaceCourses(trx, program.id, fields.courses);
    const updated = (await this.programs.findProgram(trx, program.id))!;
    await this.programs.insertVersion(trx, {
      programId: program.id,
      version,
      snapshot: snapshotOf(updated, fields.courses),
      note,
      createdBy: author,
    });
    await this.audit.record(trx, actor, {
      action: 'program.version_created',
      entityType: 'program',
      entityId: program.id,
      before: { version: program.version },
      after: { version, changed, note },
    });
    return version;
  }

  /** The wording before and after, so the audit log shows exactly what the office published. */
  async #auditWording(
    trx: Db,
    actor: Actor,
    program: ProgramRow,
    proposed: ProgramFields,
    changed: readonly string[],
    version: number,
  ) {
    const before = fieldsOf(program, []) as unknown as Record<string, unknown>;
    const after = proposed as unknown as Record<string, unknown>;
    await this.audit.record(trx, actor, {
      action: 'program.wording_published',
      entityType: 'program',
      entityId: program.id,
      before: Object.fromEntries(changed.map((f) => [f, before[f]])),
      after: { ...Object.fromEntries(changed.map((f) => [f, after[f]])), version },
    });
  }

  async #recordStep(
    trx: Db,
    actor: Actor,
    modificationId: string,
    step: ApprovalStep,
    decision: 'approved' | 'returned',
    comment: string | undefined,
    at: Date,
  ) {
    await this.repository.insertStep(trx, {
      id: newId(),
      modificationId,
      stepKey: step.key,
      stepName: step.name,
      decision,
      decidedBy: actor.id,
      decidedByName: actor.name,
      comment: comment ?? null,
      at,
    });
  }

  /** Tells whoever decides `step` that a change waits for them: the named person, or the role's holders. */
  async #askStep(trx: Db, step: ApprovalStep | undefined, program: ProgramRow) {
    if (!step) return;
    const content = {
      subject: `A proposed change awaits the ${step.name}: ${program.title}`,
      lines: [`A change to ${program.title} is ready for your decision.`],
      action: { label: 'Open the program', url: this.mailer.programUrl(program.id) },
    };
    if (step.person) {
      const person = await this.programs.findActivePerson(trx, step.person.id);
      if (person) await this.mailer.send(trx, { ...content, to: person });
      return;
    }
    await this.mailer.toRole(trx, step.role, program, content);
  }
}
