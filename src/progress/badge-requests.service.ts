import type { AuditService } from '../audit/audit.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { conflict, forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { BadgeRequestsRepository, type BadgeRequestView } from './badge-requests.repository.ts';
import type { CompletionFacts, EnrolmentProgress } from './enrolment-progress.ts';
import { badgeApprovedMail, badgeRequestedMail, badgeReturnedMail } from './progress.mail.ts';
import { assertOverseesProgram, overseesEveryProgram, ownRecordRefusal } from './progress.policy.ts';
import { ProgressRepository } from './progress.repository.ts';
import type { ProgressService } from './progress.service.ts';
import type { EvaluationSnapshot } from './progress.tables.ts';

// Other modules see a request as the service returns it; they never import the repository.
export type { BadgeRequestView };

export type BadgeDecision = 'approve' | 'return';

/** The demo data's learners, as far as seeding requests needs them (structurally `DemoUniversity['learners']`). */
export interface DemoLearnerStages {
  studentId: string;
  enrolments: readonly { program: string; stage: string }[];
}

const maxCommentLength = 2000;
/** Most requests one page lists; a backlog larger than this is worked through page by page of decisions. */
const listLimit = 200;

/**
 * Badge requests: a learner whose requirements are met asks for the badge; the program lead (or the
 * credentials office or an administrator) checks and approves it, or returns it with a comment. Approved
 * requests wait for the issuing module, which marks them issued.
 */
export class BadgeRequestsService {
  constructor(
    private readonly database: Database,
    private readonly progress: ProgressService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly settings: { publicUrl: string; institutionName: () => Promise<string> },
    private readonly repository = new BadgeRequestsRepository(),
    private readonly records = new ProgressRepository(),
  ) {}

  /** The learner asks for the badge of a program they are enrolled in; refused unless the rule is met now. */
  async requestBadge(actor: Actor, programSlug: string): Promise<BadgeRequestView> {
    return this.database.db.transaction().execute(async (trx) => {
      const learner = await this.records.findLearnerByUser(trx, actor.id);
      if (!learner)
        throw forbidden('Your account is not linked to a learner record, so it cannot ask for badges.');
      const program = await this.records.findProgramBySlug(trx, programSlug);
      if (!program) throw notFound('That program');
      const enrolment = await this.records.findEnrolment(trx, learner.id, program.id);
      if (!enrolment) throw invalidState(`You are not enrolled in ${program.title}.`);
      const blocking = await this.repository.findBlocking(trx, learner.id, program.id);
      // A revoked badge may be asked for again (issue 19, point 7): the new request goes through the same review
      // as any other, so the office still weighs why the first badge was revoked before approving it.
      const revokedBefore = blocking?.status === 'issued' && blocking.credential_status === 'revoked';
      if (blocking?.status === 'issued' && !revokedBefore)
        throw invalidState(`Your ${program.title} badge was already issued.`);
      if (blocking && !revokedBefore)
        throw conflict(`You have already asked for the ${program.title} badge.`);

      const progress = await this.progress.measureEnrolment(trx, learner.id, program, enrolment.enrolledOn);
      if (!progress.met) {
        throw invalidState(
          `You can ask for the ${program.title} badge once every requirement is met. ${progress.explanation}`,
        );
      }
      const id = newId();
      const inserted = await this.repository.insert(trx, {
        id,
        learnerId: learner.id,
        programId: program.id,
        status: 'requested',
        requestedAt: this.clock.now(),
        evaluation: this.#snapshot(progress),
      });
      if (!inserted) throw conflict(`You have already asked for the ${program.title} badge.`);
      await this.audit.record(trx, actor, {
        action: 'badge_request.requested',
        entityType: 'badge_request',
        entityId: id,
        after: { learner: learner.studentId, program: program.slug, explanation: progress.explanation },
      });
      if (program.leadEmail && program.leadName) {
        await this.notifications.queueMail(trx, {
          ...badgeRequestedMail({
            lead: { name: program.leadName, email: program.leadEmail },
            learnerName: learner.name,
            programTitle: program.title,
            url: `${this.settings.publicUrl}/progress/requests`,
          }),
          kind: 'badge_requested',
        });
      }
      return (await this.repository.find(trx, id))!;
    });
  }

  /** The learner takes back an open request (before it is issued). */
  async withdraw(actor: Actor, requestId: string): Promise<void> {
    await this.database.db.transaction().execute(async (trx) => {
      const request = await this.repository.find(trx, requestId, true);
      if (!request || request.learnerUserId !== actor.id) throw notFound('That badge request');
      const withdrawn =
        (request.status === 'requested' || request.status === 'approved') &&
        (await this.repository.changeStatus(trx, request.id, request.status, { status: 'withdrawn' }));
      if (!withdrawn) throw invalidState('Only a request that is still open can be withdrawn.');
      await this.audit.record(trx, actor, {
        action: 'badge_request.withdrawn',
        entityType: 'badge_request',
        entityId: request.id,
        before: { status: request.status },
        after: { status: 'withdrawn' },
      });
    });
  }

  /**
   * Approves or returns a waiting request. Approval re-evaluates the record first and is refused if the
   * requirements are no longer met (a grade changed, say); returning needs a comment for the learner.
   */
  async decide(actor: Actor, requestId: string, decision: BadgeDecision, rawComment: string): Promise<void> {
    const comment = rawComment.trim();
    if (decision === 'return' && comment === '') {
      throw invalid([
        { field: 'comment', reason: 'is required to return a request: tell the learner what is missing' },
      ]);
    }
    if (comment.length > maxCommentLength) {
      throw invalid([{ field: 'comment', reason: `must be at most ${maxCommentLength} characters` }]);
    }
    const institution = await this.settings.institutionName();
    await this.database.db.transaction().execute(async (trx) => {
      const request = await this.repository.find(trx, requestId, true);
      if (!request) throw notFound('That badge request');
      assertOverseesProgram(actor, request);
      const own = ownRecordRefusal(actor, { userId: request.learnerUserId, email: request.learnerEmail });
      if (own) throw forbidden(own);
      if (request.status !== 'requested') {
        throw invalidState(`This request was already ${statusWords[request.status]}.`);
      }
      let progress: EnrolmentProgress | null = null;
      if (decision === 'approve') {
        progress = await this.#currentProgress(trx, request);
        if (!progress.met) {
          throw invalidState(
            `The record no longer meets the requirements, so the request cannot be approved; return it with a comment instead. ${progress.explanation}`,
          );
        }
      }
      const status = decision === 'approve' ? 'approved' : 'returned';
      const decidedAt = this.clock.now();
      const changed = await this.repository.changeStatus(trx, request.id, 'requested', {
        status,
        decidedBy: actor.id,
        decidedAt,
        comment: comment === '' ? null : comment,
      });
      if (!changed) throw invalidState('This request was decided by someone else a moment ago.');
      await this.audit.record(trx, actor, {
        action: `badge_request.${status}`,
        entityType: 'badge_request',
        entityId: request.id,
        before: { status: 'requested' },
        after: {
          status,
          learner: request.studentId,
          program: request.programSlug,
          comment: comment === '' ? null : comment,
          ...(progress ? { explanation: progress.explanation } : {}),
        },
      });
      const learner = { name: request.learnerName, email: request.learnerEmail };
      const url = `${this.settings.publicUrl}/progress`;
      const mail =
        status === 'approved'
          ? badgeApprovedMail({
              learner,
              programTitle: request.programTitle,
              deciderName: actor.name,
              comment: comment === '' ? null : comment,
              institution,
              url,
            })
          : badgeReturnedMail({
              learner,
              programTitle: request.programTitle,
              deciderName: actor.name,
              comment,
              url,
            });
      await this.notifications.queueMail(trx, { ...mail, kind: `badge_request_${status}` });
    });
  }

  /**
   * Requests waiting for a decision and those approved and waiting to be issued, in the programs this person
   * oversees (optionally one program), each with the learner's live progress beside the snapshot.
   */
  async requestsToReview(actor: Actor, programSlug?: string) {
    const db = this.database.db;
    let programId: string | undefined;
    if (programSlug !== undefined) {
      const program = await this.records.findProgramBySlug(db, programSlug);
      if (!program) throw notFound('That program');
      assertOverseesProgram(actor, program);
      programId = program.id;
    }
    const leadUserId = overseesEveryProgram(actor) ? undefined : actor.id;
    const [waiting, approved] = await Promise.all([
      this.repository.listByStatus(db, 'requested', { leadUserId, programId, limit: listLimit }),
      this.repository.listByStatus(db, 'approved', { leadUserId, programId, limit: listLimit }),
    ]);
    const programs = await this.records.findProgramsByIds(db, [...new Set(waiting.map((r) => r.programId))]);
    const programById = new Map(programs.map((program) => [program.id, program]));
    const live = await this.progress.measureMany(
      db,
      waiting.map((request) => ({
        learnerId: request.learnerId,
        program: programById.get(request.programId)!,
        enrolledOn: request.enrolledOn ?? request.evaluation.asOf,
      })),
    );
    return {
      // The page offers the decision only where the service would take it: not on one's own request.
      waiting: waiting.map((request, index) => ({
        request,
        progress: live[index]!,
        ownRequest: ownRecordRefusal(actor, { userId: request.learnerUserId, email: request.learnerEmail }),
      })),
      approved,
    };
  }

  /** For the issuing module: approved requests waiting to become credentials, oldest first. */
  listApprovedRequests(filter: { programId?: string; limit?: number } = {}): Promise<BadgeRequestView[]> {
    return this.repository.listByStatus(this.database.db, 'approved', {
      programId: filter.programId,
      limit: filter.limit ?? 5000,
    });
  }

  /**
   * For the issuing module, inside its own transaction: the approved request became credential
   * `credentialId`. Throws when the request is not (or no longer) approved, so a request is issued once.
   */
  /**
   * When the learner of a request finished its program (the day the requirements were first met and its term),
   * read through `trx`, so the badge and the registrar's notation carry that day rather than the day of asking.
   * Falls back to the day the request's own evaluation was made when today's record no longer meets the rule.
   */
  async completionOf(
    trx: Db,
    request: Pick<BadgeRequestView, 'learnerId' | 'programId' | 'evaluation'>,
  ): Promise<CompletionFacts> {
    const [program] = await this.records.findProgramsByIds(trx, [request.programId]);
    const found = program ? await this.progress.completionOf(trx, request.learnerId, program) : null;
    return found ?? { completedOn: request.evaluation.asOf, term: null };
  }

  async markIssued(requestId: string, credentialId: string, trx: Db): Promise<void> {
    const issued = await this.repository.changeStatus(trx, requestId, 'approved', {
      status: 'issued',
      credentialId,
      issuedAt: this.clock.now(),
    });
    if (!issued) throw invalidState('Only an approved badge request can be marked as issued.');
    await this.audit.record(
      trx,
      { system: 'issuing' },
      {
        action: 'badge_request.issued',
        entityType: 'badge_request',
        entityId: requestId,
        after: { credentialId },
      },
    );
  }

  /**
   * Demo data: a waiting request for each enrolment at stage `complete`, and an approved one for each at
   * `badge_issued` (approved rather than issued, because issuing is not wired in yet). Only enrolments
   * whose requirements are really met get one. Returns how many were created.
   */
  async seedDemoRequests(trx: Db, learners: readonly DemoLearnerStages[]): Promise<number> {
    const stages = new Map<string, string>();
    for (const learner of learners) {
      for (const enrolment of learner.enrolments) {
        if (enrolment.stage === 'complete' || enrolment.stage === 'badge_issued') {
          stages.set(`${learner.studentId}|${enrolment.program}`, enrolment.stage);
        }
      }
    }
    const candidates = (
      await this.repository.findDemoEnrolments(
        trx,
        learners.map((learner) => learner.studentId),
      )
    ).filter((row) => stages.has(`${row.studentId}|${row.programSlug}`));
    if (candidates.length === 0) return 0;
    const programs = await this.records.findProgramsByIds(trx, [
      ...new Set(candidates.map((c) => c.programId)),
    ]);
    const programById = new Map(programs.map((program) => [program.id, program]));
    const progress = await this.progress.measureMany(
      trx,
      candidates.map((candidate) => ({
        learnerId: candidate.learnerId,
        program: programById.get(candidate.programId)!,
        enrolledOn: candidate.enrolledOn,
      })),
    );
    const now = this.clock.now();
    let created = 0;
    for (const [index, candidate] of candidates.entries()) {
      const met = progress[index]!;
      if (!met.met) continue;
      const approve =
        stages.get(`${candidate.studentId}|${candidate.programSlug}`) === 'badge_issued' &&
        candidate.leadUserId !== null;
      const inserted = await this.repository.insert(trx, {
        id: newId(),
        learnerId: candidate.learnerId,
        programId: candidate.programId,
        status: approve ? 'approved' : 'requested',
        requestedAt: now,
        evaluation: this.#snapshot(met),
        ...(approve ? { decidedBy: candidate.leadUserId!, decidedAt: now } : {}),
      });
      if (inserted) created += 1;
    }
    await this.audit.record(
      trx,
      { system: 'demo seed' },
      { action: 'badge_request.demo_seeded', entityType: 'badge_request', after: { created } },
    );
    return created;
  }

  async #currentProgress(db: Db, request: BadgeRequestView): Promise<EnrolmentProgress> {
    const [program] = await this.records.findProgramsByIds(db, [request.programId]);
    const enrolment = await this.records.findEnrolment(db, request.learnerId, request.programId);
    if (!program || !enrolment) {
      throw invalidState(
        'The learner is no longer enrolled in this program, so the request cannot be approved.',
      );
    }
    return this.progress.measureEnrolment(db, request.learnerId, program, enrolment.enrolledOn);
  }

  #snapshot(progress: EnrolmentProgress): EvaluationSnapshot {
    return {
      asOf: this.progress.today(),
      met: progress.met,
      percent: progress.percent,
      explanation: progress.explanation,
      evaluation: progress.evaluation!,
    };
  }
}

const statusWords: Record<BadgeRequestView['status'], string> = {
  requested: 'sent',
  approved: 'approved',
  returned: 'returned',
  issued: 'issued',
  withdrawn: 'withdrawn by the learner',
};
