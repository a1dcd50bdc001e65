import type { AuditService } from '../audit/audit.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Tx } from '../platform/db/database.ts';
import { conflict, type FieldProblem, invalid, invalidState, notFound } from '../platform/errors.ts';
import type { Actor } from '../platform/http/page-context.ts';
import { newId } from '../platform/ids.ts';
import { parseTerm } from './academic-term.ts';
import { reactivationApprovedMail, reactivationDeclinedMail } from './learners.mail.ts';
import type { LearnerRecord, LearnersRepository } from './learners.repository.ts';
import {
  isUniqueViolation,
  type LearnerSettings,
  type LearnersService,
  STUDENT_ID_PATTERN,
} from './learners.service.ts';
import type { ReactivationRequest, ReactivationsRepository } from './reactivations.repository.ts';

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
        const program = await this.learnerRecords.findProgramBySlug(trx, slug);
        if (!program) throw notFound('That micro-credential');
        this.learners.assertAccepts(program, 'returning');
        const learner = await this.learnerRecords.findLearnerByUser(trx, actor.id);
        if (learner) {
          const enrolment = await this.learnerRecords.findEnrolment(trx, learner.id, program.id);
          if (enrolment?.status === 'active') {
            throw conflict(`You are already enrolled in ${program.title} (since ${enrolment.enrolledOn}).`);
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

  /** The staff queue: requests waiting for a decision, oldest first, and the latest decisions. */
  async queue() {
    const db = this.database.db;
    const [pending, decided] = await Promise.all([
      this.repository.list(db, 'pending', 200),
      this.repository.list(db, 'decided', 20),
    ]);
    return { pending, decided };
  }

  /** Approves: the learner record is found, linked or created, marked returning, and enrolled (path returning). */
  async approve(actor: Actor, requestId: string, comment: string): Promise<void> {
    const note = comment.trim().slice(0, 2000) || null;
    await this.database.db.transaction().execute(async (trx) => {
      const request = await this.#lockPending(trx, requestId);
      const program = (await this.learnerRecords.findProgramBySlug(trx, request.programSlug))!;
      this.learners.assertAccepts(program, 'returning');
      const learner = await this.#learnerFor(trx, actor, request);
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
      const request = await this.#lockPending(trx, requestId);
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

  async #lockPending(trx: Tx, id: string): Promise<ReactivationRequest> {
    const request = await this.repository.find(trx, id);
    if (!request) throw notFound('That request');
    if (!(await this.repository.lockPending(trx, id))) {
      throw invalidState(
        'This request was already decided by someone else. Reload the page to see the decision.',
      );
    }
    return request;
  }

  /**
   * The learner record a decision applies to: the one the request named, the person's own, or a record with the
   * student ID they gave that is not yet linked to an account. Failing those, a new record is created.
   */
  async #learnerFor(trx: Tx, actor: Actor, request: ReactivationRequest): Promise<LearnerRecord> {
    const repo = this.learnerRecords;
    let learner =
      (request.learnerId ? await repo.findLearnerById(trx, request.learnerId) : undefined) ??
      (await repo.findLearnerByUser(trx, request.userId));
    if (!learner && request.studentId) {
      const byStudentId = await repo.findLearnerByStudentId(trx, request.studentId);
      if (byStudentId?.userId && byStudentId.userId !== request.userId) {
        throw invalidState(
          `Student ID ${request.studentId} belongs to a record linked to another account. Check the ID with the student, or decline the request.`,
        );
      }
      if (byStudentId) {
        await repo.updateLearner(trx, byStudentId.id, { userId: request.userId });
        await this.audit.record(trx, actor, {
          action: 'learner.linked',
          entityType: 'learner',
          entityId: byStudentId.id,
          before: { userId: null },
          after: { userId: request.userId },
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
      const studentId =
        request.studentId && !(await repo.isStudentIdTaken(trx, request.studentId))
          ? request.studentId
          : await this.learners.generateStudentId(trx);
      learner = {
        id: newId(),
        userId: request.userId,
        email,
        name: request.name,
        studentId,
        status: 'returning',
        createdAt: this.clock.now(),
      };
      await repo.insertLearner(trx, { ...learner, userId: request.userId });
      await this.audit.record(trx, actor, {
        action: 'learner.created',
        entityType: 'learner',
        entityId: learner.id,
        after: { name: learner.name, email, studentId, status: 'returning' },
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
