import type { AuditService } from '../audit/audit.service.ts';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { forbidden, invalidState, notFound } from '../platform/errors.ts';
import type { ApprovalChainsService, ProgramChains } from './approval-chains.service.ts';
import { transition } from './lifecycle.ts';
import { assertCanView, cleanComment, factsOf, type LoadedProgram, loadProgram } from './loaded-program.ts';
import { calendarDateIn } from './pilot-calendar.ts';
import { type ProgramFacts, transitionContext } from './program-state.ts';
import type { ProgramEvent, ProgramState } from './program-vocabulary.ts';
import { ownDecisionRefusal } from './programs.policy.ts';
import type { ProgramsRepository } from './programs.repository.ts';

/** One lifecycle step in progress, as the step's effects see it (inside its transaction). */
export interface LifecycleStep {
  trx: Db;
  actor: Actor;
  event: ProgramEvent;
  loaded: LoadedProgram;
  /** The chains this program is reviewed under. */
  chains: ProgramChains;
  facts: ProgramFacts;
  comment: string | undefined;
  at: Date;
  academicYearStartMonth: number;
  /** The institution's time zone: the day a decision is taken is its date there. */
  timeZone: string;
  /** Where the state machine sends the program. */
  to: ProgramState;
  /** Added to the step's audit entry. */
  detail: Record<string, unknown>;
}

/**
 * What a step does besides changing the status: records, e-mails. It may return another status when the step
 * is only part of the way (a pilot chain with more bodies still to approve keeps the proposal submitted).
 */
export type LifecycleEffect = (step: LifecycleStep) => Promise<ProgramState | undefined>;

/**
 * Runs lifecycle events: lock the program, ask the state machine, refuse with its reason or carry out the
 * caller's effects, then record the new status and the audit entry, all in one transaction.
 */
export class ProgramLifecycleService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly institution: InstitutionService,
    private readonly chains: ApprovalChainsService,
    private readonly clock: Clock,
    private readonly repository: ProgramsRepository,
  ) {}

  async apply(
    actor: Actor,
    programId: string,
    event: ProgramEvent,
    rawComment: string | undefined,
    effect?: LifecycleEffect,
  ): Promise<ProgramState> {
    const comment = cleanComment(rawComment);
    const at = this.clock.now();
    // Read before the transaction: on PGlite a second handle would wait for the transaction's lock.
    const institution = await this.institution.get();
    const academicYearStartMonth = institution.academic_year_start_month;
    const { timeZone } = this.institution.displayOf(institution);
    return this.database.db.transaction().execute(async (trx) => {
      const status = await this.repository.lockProgram(trx, programId);
      if (!status) throw notFound('That program');
      const loaded = await loadProgram(trx, programId);
      assertCanView(actor, loaded);
      const chains = await this.chains.forProgram(trx, programId);
      const facts = factsOf(loaded, chains.full, chains.pilot);
      const result = transition(status, event, transitionContext(actor, facts, chains.full, comment));
      if (!result.ok) throw invalidState(result.reason);
      // The roles allow it; separation of duties may still not (the author of a proposal decides none of it).
      const ownRefusal = ownDecisionRefusal(actor, { leadUserId: loaded.program.lead_user_id }, event);
      if (ownRefusal) throw forbidden(ownRefusal);
      const step: LifecycleStep = {
        trx,
        actor,
        event,
        loaded,
        chains,
        facts,
        comment,
        at,
        academicYearStartMonth,
        timeZone,
        to: result.to,
        detail: {},
      };
      const to = (await effect?.(step)) ?? result.to;
      if (to !== status) await this.repository.setStatus(trx, programId, to);
      // Periodic reviews count from this day, in the institution's time zone.
      if (to === 'established' && status !== 'established') {
        await this.repository.markEstablished(trx, programId, calendarDateIn(at, timeZone));
      }
      await this.audit.record(trx, actor, {
        action: `program.${event}`,
        entityType: 'program',
        entityId: programId,
        before: { status },
        after: { status: to, ...step.detail, ...(comment ? { comment } : {}) },
      });
      return to;
    });
  }
}
