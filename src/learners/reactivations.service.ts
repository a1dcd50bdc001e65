import type { AuditService } from '../audit/audit.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db, Tx } from '../platform/db/database.ts';
import {
  conflict,
  type FieldProblem,
  forbidden,
  invalid,
  invalidState,
  notFound,
} from '../platform/errors.ts';
import { formatDay } from '../platform/http/moment.ts';
import { newId } from '../platform/ids.ts';
import { parseTerm } from './academic-term.ts';
import { checkIdentity, type IdentityCheck, needsStaffVerification } from './identity-check.ts';
import { STUDENT_ID_PATTERN } from './learner-record-input.ts';
import { reactivationApprovedMail, reactivationDeclinedMail } from './learners.mail.ts';
import { canDecideReactivation, OWN_REACTIVATION_REFUSAL } from './learners.policy.ts';
import type { LearnerRecord, LearnersRepository } from './learners.repository.ts';
import { isUniqueViolation, type LearnerSettings, type LearnersService } from './learners.service.ts';
import type { ReactivationRequest, ReactivationsRepository } from './reactivations.repository.ts';

/** The record a request's student ID points to, and how it compares (none on file: both null). */
export interface RequestIdentity {
  record: {
    id: string;
    name: string;
    email: string;
    userId: string | null;
    identityConfirmed: boolean;
    accountEmail: string | null;
  } | null;
  check: IdentityCheck | null;
}

/** A request waiting for a decision, as the staff queue shows it. */
export type PendingRequest = ReactivationRequest & {
  identity: RequestIdentity | null;
  /** False for the person who asked: another member of staff decides. */
  canDecide: boolean;
};

export interface ReactivationForm {
  name: string;
  studentId: string;
  lastTerm: string;
  reason: string;
}

/**
 * Returning students ask to have their record reactivated for a program; the credentials office, the registrar
 * or an administrator approves (which enrols them) or declines (with a reason the student receives).
 */
export class ReactivationsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly settings: LearnerSettings,
    private readonly learners: LearnersService,
    private readonly learnerRecords: LearnersRepository,
    private readonly repository: ReactivationsRepository,
  ) {}

  async requestReactivation(actor: Actor, slug: string, form: ReactivationForm): Promise<void> {
    try {
      await this.database.db.transaction().execute(async (trx) => {
        await this.learners.assertMayActAsLearner(trx, actor);
        const program = await this.learnerRecords.findProgramBySlug(trx, slug);
        if (!program) throw notFound('That micro-credential');
        this.learners.assertAccepts(program, 'returning');
        const learner = await this.learnerRecords.findLearnerByUser(trx, actor.id);
        if (learner) {
          const enrolment = await this.learnerRecords.findEnrolment(trx, learner.id, program.id);
          if (enrolment?.status === 'active') {
            throw conflict(
              `You are already enrolled in ${program.title} (since ${formatDay(enrolment.enrolledOn)}).`,
            );
          }
        }
        const existing = await this.repository.findPending(trx, actor.id, program.id);
        if (existing) throw conflict(this.#alreadyAsked(existing));
        const term = parseTerm(form.lastTerm);
        const problems: FieldProblem[] = [];
        if (!term)
          problems.push({ field: 'lastTerm', reason: 'must be a year and season, such as 2021 Spring' });
        if (form.reason.trim().length < 10 || form.reason.length > 2000) {
          problems.push({ field: 'reason', reason: 'must be between 10 and 2000 characters' });
        }
        if (!learner) {
          if (form.name.trim().length < 2)
            problems.push({ field: 'name', reason: 'must be at least 2 characters' });
          if (!STUDENT_ID_PATTERN.test(form.studentId.trim())) {
            problems.push({
              field: 'studentId',
              reason: 'must be the student ID you had: 3 to 20 letters, digits or hyphens',
            });
          } else {
            const onFile = await this.learnerRecords.findLearnerByStudentId(trx, form.studentId);
            if (onFile?.userId && onFile.userId !== actor.id) {
              problems.push({
                field: 'studentId',
                reason:
                  'is already linked to an account. If it is your student ID, write to the registrar, who can check who you are',
              });
            }
          }
        }
        if (problems.length > 0) throw invalid(problems);
        const id = newId();
        const row = {
          id,
          userId: actor.id,
          programId: program.id,
          learnerId: learner?.id ?? null,
          name: learner?.name ?? form.name.trim().slice(0, 200),
          studentId: learner?.studentId ?? form.studentId.trim(),
          lastTerm: term!.label,
          reason: form.reason.trim(),
        };
        await this.repository.insert(trx, row);
        await this.audit.record(trx, actor, {
          action: 'reactivation.requested',
          entityType: 'reactivation_request',
          entityId: id,
          after: { program: program.slug, studentId: row.studentId, lastTerm: row.lastTerm },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error, 'reactivation_requests_one_pending')) {
        throw conflict(
          'You have already asked to return to this micro-credential; staff will reply by e-mail.',
        );
      }
      throw error;
    }
  }

  /**
   * The staff queue: requests waiting for a decision, oldest first, each with the record its student ID points to
   * and what differs between them; and the latest decisions.
   */
  async queue(actor: Actor) {
    const db = this.database.db;
    const [waiting, decided] = await Promise.all([
      this.repository.list(db, 'pending', 200),
      this.repository.list(db, 'decided', 20),
    ]);
    const pending: PendingRequest[] = [];
    for (const request of waiting) {
      const identity = await this.#identity(db, request);
      pending.push({ ...request, identity, canDecide: canDecideReactivation(actor, request) });
    }
    return { pending, decided };
  }

  /** The record a request names and the comparison with it; null when there is nothing to compare. */
  async #identity(db: Db, request: ReactivationRequest): Promise<RequestIdentity | null> {
    if (request.learnerId || !request.studentId) return null;
    const record = await this.learnerRecords.recordOnFile(db, request.studentId);
    if (!record) return { record: null, check: null };
    const check = checkIdentity(
      { userId: request.userId, email: request.userEmail, name: request.name },
      record,
    );
    return { record, check };
  }

  /** Approves: the learner record is found, linked or created, marked returning, and enrolled (path returning). */
  async approve(actor: Actor, requestId: string, comment: string, identityVerified = false): Promise<void> {
    const note = comment.trim().slice(0, 2000) || null;
    await this.database.db.transaction().execute(async (trx) => {
      const request = await this.#lockPending(trx, actor, requestId);
      const program = (await this.learnerRecords.findProgramBySlug(trx, request.programSlug))!;
      this.learners.assertAccepts(program, 'returning');
      const learner = await this.#learnerFor(trx, actor, request, identityVerified);
      await this.learners.enrolInTransaction(trx, actor, {
        learner,
        program,
        path: 'returning',
        userId: request.userId,
        keepExisting: true,
        mail: false,
      });
      await this.repository.decide(trx, request.id, {
        status: 'approved',
        by: actor.id,
        at: this.clock.now(),
        comment: note,
        learnerId: learner.id,
      });
      await this.audit.record(trx, actor, {
        action: 'reactivation.approved',
        entityType: 'reactivation_request',
        entityId: request.id,
        before: { status: 'pending' },
        after: { status: 'approved', learnerId: learner.id, comment: note },
      });
      await this.notifications.queueMail(trx, {
        ...reactivationApprovedMail({
          to: { name: learner.name, email: request.userEmail },
          programTitle: program.title,
          institution: (await this.settings.institution()).name,
          publicUrl: this.settings.publicUrl,
          comment: note,
        }),
        kind: 'reactivation_approved',
      });
    });
  }

  /** Declines with a reason, which the student receives by e-mail. */
  async decline(actor: Actor, requestId: string, comment: string): Promise<void> {
    const reason = comment.trim();
    if (reason.length < 5 || reason.length > 2000) {
      throw invalid([
        { field: 'comment', reason: 'must explain the decision to the student (5 to 2000 characters)' },
      ]);
    }
    await this.database.db.transaction().execute(async (trx) => {
      const request = await this.#lockPending(trx, actor, requestId);
      await this.repository.decide(trx, request.id, {
        status: 'declined',
        by: actor.id,
        at: this.clock.now(),
        comment: reason,
        learnerId: null,
      });
      await this.audit.record(trx, actor, {
        action: 'reactivation.declined',
        entityType: 'reactivation_request',
        entityId: request.id,
        before: { status: 'pending' },
        after: { status: 'declined', comment: reason },
      });
      await this.notifications.queueMail(trx, {
        ...reactivationDeclinedMail({
          to: { name: request.name, email: request.userEmail },
          programTitle: request.programTitle,
          catalogSlug: request.programSlug,
          institution: (await this.settings.institution()).name,
          publicUrl: this.settings.publicUrl,
          comment: reason,
        }),
        kind: 'reactivation_declined',
      });
    });
  }

  #alreadyAsked(request: ReactivationRequest) {
    return `You asked to return on ${request.createdAt.toISOString().slice(0, 10)}; staff will reply by e-mail.`;
  }

  async #lockPending(trx: Tx, actor: Actor, id: string): Promise<ReactivationRequest> {
    const request = await this.repository.find(trx, id);
    if (!request) throw notFound('That request');
    if (!canDecideReactivation(actor, request)) throw forbidden(OWN_REACTIVATION_REFUSAL);
    if (!(await this.repository.lockPending(trx, id))) {
      throw invalidState(
        'This request was already decided by someone else. Reload the page to see the decision.',
      );
    }
    return request;
  }

  /**
   * The learner record a decision applies to: the one the request named, the person's own, or the record with the
   * student ID they gave, which is linked only if it has no account yet and the identity check passes (the e-mail
   * on record is the account's, or staff ticked that they verified the person). Failing those, a new record is
   * created, its typed student ID unconfirmed.
   */
  async #learnerFor(
    trx: Tx,
    actor: Actor,
    request: ReactivationRequest,
    identityVerified: boolean,
  ): Promise<LearnerRecord> {
    const repo = this.learnerRecords;
    let learner =
      (request.learnerId ? await repo.findLearnerById(trx, request.learnerId) : undefined) ??
      (await repo.findLearnerByUser(trx, request.userId));
    if (!learner && request.studentId) {
      const byStudentId = await repo.findLearnerByStudentId(trx, request.studentId);
      if (byStudentId) {
        const check = checkIdentity(
          { userId: request.userId, email: request.userEmail, name: request.name },
          byStudentId,
        );
        if (check.isBlocked) {
          throw invalidState(
            `Student ID ${request.studentId} belongs to a record linked to another account, and a student ID is never linked twice. Decline the request, or ask the registrar to look into it.`,
          );
        }
        if (needsStaffVerification(check) && !identityVerified) {
          throw invalid(
            [
              {
                field: 'identityVerified',
                reason: `must be ticked once you have verified this person's identity (${check.conflicts.join(', ').replaceAll('_', ' ')})`,
              },
            ],
            `The request does not match the record on file for ${request.studentId}. Check that you have verified this person's identity, then tick the box to approve.`,
          );
        }
        await repo.updateLearner(trx, byStudentId.id, { userId: request.userId });
        await this.audit.record(trx, actor, {
          action: 'learner.linked',
          entityType: 'learner',
          entityId: byStudentId.id,
          before: { userId: null },
          after: {
            userId: request.userId,
            identityVerifiedBy: check.isConfirmedByEmail ? 'email_on_record' : 'staff',
            conflicts: check.conflicts,
            requestId: request.id,
          },
        });
        learner = { ...byStudentId, userId: request.userId };
      }
    }
    if (!learner) {
      const email = request.userEmail;
      if (await repo.findLearnerByEmail(trx, email)) {
        throw invalidState(
          `The e-mail ${email} is already on another learner record. Link the records first.`,
        );
      }
      const declared =
        request.studentId && !(await repo.isStudentIdTaken(trx, request.studentId))
          ? request.studentId
          : null;
      const studentId = declared ?? (await this.learners.generateStudentId(trx));
      learner = {
        id: newId(),
        userId: request.userId,
        email,
        name: request.name,
        studentId,
        status: 'returning',
        // No record on file had the ID: it is only what the student typed until the student system confirms it.
        identityConfirmed: declared === null,
        createdAt: this.clock.now(),
      };
      await repo.insertLearner(trx, { ...learner, userId: request.userId });
      await this.audit.record(trx, actor, {
        action: 'learner.created',
        entityType: 'learner',
        entityId: learner.id,
        after: {
          name: learner.name,
          email,
          studentId,
          status: 'returning',
          identityConfirmed: learner.identityConfirmed,
        },
      });
      return learner;
    }
    if (learner.status !== 'returning') {
      await repo.updateLearner(trx, learner.id, { status: 'returning' });
      await this.audit.record(trx, actor, {
        action: 'learner.status_changed',
        entityType: 'learner',
        entityId: learner.id,
        before: { status: learner.status },
        after: { status: 'returning' },
      });
      learner = { ...learner, status: 'returning' };
    }
    return learner;
  }
}
