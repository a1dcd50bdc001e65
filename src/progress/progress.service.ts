import type { AuditService } from '../audit/audit.service.ts';
import type { CertificatesService } from '../catalog/certificates.service.ts';
import type { Actor } from '../platform/actor.ts';
import { type Clock, isoDate } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { conflict, type FieldProblem, forbidden, invalid, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { coursesInRule, normalizeCourseCode, parseCalendarDay } from '../requirements/index.ts';
import { type AwardStatus, awardStatusOf } from './award-status.ts';
import { BadgeRequestsRepository, type BadgeRequestView } from './badge-requests.repository.ts';
import {
  type CompletionFacts,
  completionOf,
  type EnrolmentProgress,
  experiencesInRule,
  LearnerEvidence,
  measureProgress,
  type ProgressState,
  progressStates,
  readProgramRule,
} from './enrolment-progress.ts';
import { assertOverseesProgram, overseesEveryProgram, ownRecordRefusal } from './progress.policy.ts';
import {
  credentialKey,
  type EnrolmentRow,
  type ProgramSummary,
  ProgressRepository,
} from './progress.repository.ts';
import { ProgressStore, type ProgressSummary } from './progress-store.service.ts';
import { workSince } from './renewal-evidence.ts';

/** One learner's standing in a program, as the staff views and the CSV export show it. */
export interface ProgramLearnerProgress {
  enrolmentId: string;
  learnerId: string;
  name: string;
  email: string;
  studentId: string;
  enrolledOn: string;
  enrolmentStatus: EnrolmentRow['status'];
  progress: ProgressSummary;
  /** The learner's latest badge request in this program, if any. */
  request: BadgeRequestView | null;
  /** Where the learner's badge stands (request, issued, claimed, revoked…), as every page says it. */
  awardStatus: AwardStatus;
}

export interface ProgramFilter {
  status?: ProgressState;
  q?: string;
}

const maxNoteLength = 2000;

/**
 * Live progress: loads learners' records (completions, experience sign-offs, substitutions) and evaluates
 * every enrolment against its program's rule as of today. Records are loaded one query per kind, never one
 * per enrolment, so a program's whole cohort is evaluated in a single pass.
 */

/** Learners whose records are loaded at once when many are measured. */
const LEARNERS_PER_EVIDENCE_LOAD = 10_000;
export class ProgressService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    /** The catalog's answer to "which certificates do this learner's badges stack into, and how far along?". */
    private readonly certificatesOf: CertificatesService['learnerCertificates'] = async () => [],
    private readonly repository = new ProgressRepository(),
    private readonly requests = new BadgeRequestsRepository(),
    /** The stored verdicts the staff pages read; sign-offs and substitutions refresh them as they are written. */
    readonly store = new ProgressStore(database, clock),
  ) {}

  /** The evaluation day: today, in UTC. */
  today(): string {
    return isoDate(this.clock.now());
  }

  /** The signed-in learner's enrolments with their progress and latest badge request in each. */
  async learnerDashboard(actor: Actor) {
    const db = this.database.db;
    const asOf = this.today();
    const learner = await this.repository.findLearnerByUser(db, actor.id);
    if (!learner) return { asOf, learner: null, enrolments: [], certificates: [] };
    const [enrolments, evidenceRows, requests, credentials, certificates] = await Promise.all([
      this.repository.enrolmentsOfLearner(db, learner.id),
      this.repository.loadEvidence(db, { learnerIds: [learner.id] }),
      this.requests.listForLearner(db, learner.id),
      this.repository.latestCredentials(db, { learnerIds: [learner.id] }),
      this.certificatesOf(actor),
    ]);
    const programs = await this.repository.findProgramsByIds(
      db,
      enrolments.map((enrolment) => enrolment.programId),
    );
    const programById = new Map(programs.map((program) => [program.id, program]));
    const evidence = new LearnerEvidence(evidenceRows);
    return {
      asOf,
      learner,
      enrolments: enrolments.map((enrolment) => {
        const program = programById.get(enrolment.programId)!;
        const rule = readProgramRule(program.requirement);
        // Requests are newest first, so the first one found is the latest.
        const request = requests.find((r) => r.programId === program.id) ?? null;
        const credential = credentials.get(credentialKey(learner.id, program.id)) ?? null;
        return {
          enrolment,
          program,
          progress: measureProgress(
            rule,
            evidence.recordFor(learner.id, program.id),
            enrolment.enrolledOn,
            asOf,
          ),
          request,
          credential,
          awardStatus: awardStatusOf({ request, credential }),
        };
      }),
      certificates,
    };
  }

  /** Evaluates one enrolment now, reading through `db` (pass the open transaction to see its writes). */
  async measureEnrolment(
    db: Db,
    learnerId: string,
    program: Pick<ProgramSummary, 'id' | 'requirement'>,
    enrolledOn: string,
  ): Promise<EnrolmentProgress> {
    const rows = await this.repository.loadEvidence(db, { learnerIds: [learnerId] });
    const record = new LearnerEvidence(rows).recordFor(learnerId, program.id);
    return measureProgress(readProgramRule(program.requirement), record, enrolledOn, this.today());
  }

  /**
   * Whether a badge can be renewed: the renewal rule measured on the learner's work dated after `awardedOn` only
   * (see renewal-evidence.ts), as of today.
   */
  async measureRenewal(
    db: Db,
    learnerId: string,
    programId: string,
    rule: unknown,
    awardedOn: string,
  ): Promise<EnrolmentProgress> {
    const rows = await this.repository.loadEvidence(db, { learnerIds: [learnerId] });
    const record = workSince(new LearnerEvidence(rows).recordFor(learnerId, programId), awardedOn);
    return measureProgress(readProgramRule(rule), record, awardedOn, this.today());
  }

  /**
   * When the learner finished the program (the day the rule was first met, and that day's term), read through
   * `db`; null when the rule is not met today.
   */
  async completionOf(
    db: Db,
    learnerId: string,
    program: Pick<ProgramSummary, 'id' | 'requirement'>,
  ): Promise<CompletionFacts | null> {
    const rows = await this.repository.loadEvidence(db, { learnerIds: [learnerId] });
    const record = new LearnerEvidence(rows).recordFor(learnerId, program.id);
    return completionOf(readProgramRule(program.requirement), record, this.today());
  }

  /** Evaluates several learners, each in one program, loading their records in one pass. */
  async measureMany(
    db: Db,
    items: readonly {
      learnerId: string;
      program: Pick<ProgramSummary, 'id' | 'requirement'>;
      enrolledOn: string;
    }[],
  ): Promise<EnrolmentProgress[]> {
    const asOf = this.today();
    const learnerIds = [...new Set(items.map((item) => item.learnerId))];
    const measured: EnrolmentProgress[] = new Array(items.length);
    // A part of the learners at a time: a tracking list may name 100,000, and each id is a statement parameter
    // (PostgreSQL allows 65,535); their records are held a part at a time too.
    for (let start = 0; start < learnerIds.length; start += LEARNERS_PER_EVIDENCE_LOAD) {
      const part = new Set(learnerIds.slice(start, start + LEARNERS_PER_EVIDENCE_LOAD));
      const evidence = new LearnerEvidence(await this.repository.loadEvidence(db, { learnerIds: [...part] }));
      for (const [index, item] of items.entries()) {
        if (!part.has(item.learnerId)) continue;
        measured[index] = measureProgress(
          readProgramRule(item.program.requirement),
          evidence.recordFor(item.learnerId, item.program.id),
          item.enrolledOn,
          asOf,
        );
      }
    }
    return measured;
  }

  /**
   * Every enrolled learner of a program with their progress: the stored verdicts (see progress-store.service.ts),
   * with any that no longer answer for today worked out live, and their badge requests and credentials.
   * No access check: callers check first (see `programView`).
   */
  async evaluateProgram(programId: string): Promise<{
    program: ProgramSummary;
    asOf: string;
    learners: ProgramLearnerProgress[];
  }> {
    const db = this.database.db;
    const [program] = await this.repository.findProgramsByIds(db, [programId]);
    if (!program) throw notFound('That program');
    return this.#evaluateProgram(db, program);
  }

  /**
   * Each counting learner's progress state and what they are missing, for a program's figures: what
   * `evaluateProgram` tells of them, without their names, requests or badges.
   */
  programStates(programId: string) {
    return this.store.programStates(this.database.db, programId);
  }

  async #evaluateProgram(db: Db, program: ProgramSummary) {
    const [stored, latestRequests, credentials] = await Promise.all([
      this.store.programProgress(db, program.id),
      this.requests.latestInProgram(db, program.id),
      this.repository.latestCredentials(db, { programId: program.id }),
    ]);
    const { asOf } = stored;
    const learners = stored.learners.map(
      (row): ProgramLearnerProgress => ({
        enrolmentId: row.enrolmentId,
        learnerId: row.learnerId,
        name: row.name,
        email: row.email,
        studentId: row.studentId,
        enrolledOn: row.enrolledOn,
        enrolmentStatus: row.status,
        progress: row.progress,
        request: latestRequests.get(row.learnerId) ?? null,
        awardStatus: awardStatusOf({
          request: latestRequests.get(row.learnerId) ?? null,
          credential: credentials.get(credentialKey(row.learnerId, program.id)) ?? null,
        }),
      }),
    );
    return { program, asOf, learners };
  }

  /** The program lead's view: counts per status, the learners matching the filter, requests waiting. */
  async programView(actor: Actor, slug: string, filter: ProgramFilter) {
    const program = await this.#overseenProgram(actor, slug);
    const { asOf, learners } = await this.#evaluateProgram(this.database.db, program);
    const counts = Object.fromEntries(progressStates.map((state) => [state, 0])) as Record<
      ProgressState,
      number
    >;
    for (const learner of learners) counts[learner.progress.status] += 1;
    const waiting = learners.filter((learner) => learner.request?.status === 'requested');
    return {
      program,
      asOf,
      counts,
      total: learners.length,
      matching: filterLearners(learners, filter),
      waiting,
    };
  }

  /** One learner in a program, with the evidence faculty added and the forms' choices. */
  async learnerInProgram(actor: Actor, slug: string, learnerId: string) {
    const db = this.database.db;
    const program = await this.#overseenProgram(actor, slug);
    const { learner, enrolment } = await this.#enrolledLearner(db, learnerId, program);
    const rule = readProgramRule(program.requirement);
    const ruleCourses = rule === null ? [] : coursesInRule(rule);
    const [progress, experiences, substitutions, requests, titles] = await Promise.all([
      this.measureEnrolment(db, learner.id, program, enrolment.enrolledOn),
      this.repository.listExperiences(db, learner.id, program.id),
      this.repository.listSubstitutions(db, learner.id, program.id),
      this.requests.listForLearnerInProgram(db, learner.id, program.id),
      this.repository.courseTitles(db, ruleCourses),
    ]);
    return {
      asOf: this.today(),
      program,
      learner,
      enrolment,
      progress,
      experiences,
      substitutions,
      requests,
      experienceOptions: experiencesInRule(rule),
      courseOptions: ruleCourses.map((code) => ({ code, title: titles.get(code) ?? '' })),
    };
  }

  /** Faculty sign-off of an applied experience; counts toward the program at once. */
  async signOffExperience(
    actor: Actor,
    slug: string,
    learnerId: string,
    input: { key: string; signedOffOn: string; note: string },
  ): Promise<void> {
    const db = this.database.db;
    const program = await this.#overseenProgram(actor, slug);
    const { learner } = await this.#enrolledLearner(db, learnerId, program);
    const own = ownRecordRefusal(actor, learner);
    if (own) throw forbidden(own);
    const options = experiencesInRule(readProgramRule(program.requirement));
    const experience = options.find((option) => option.key === input.key);
    const note = input.note.trim();
    const problems: FieldProblem[] = [];
    if (!experience)
      problems.push({ field: 'key', reason: 'must be one of the experiences this program requires' });
    const day = parseCalendarDay(input.signedOffOn);
    if (day === null || !/^\d{4}-\d{2}-\d{2}$/.test(input.signedOffOn)) {
      problems.push({ field: 'signedOffOn', reason: 'must be a date (YYYY-MM-DD)' });
    } else if (input.signedOffOn > this.today()) {
      problems.push({ field: 'signedOffOn', reason: 'cannot be in the future' });
    }
    if (note.length > maxNoteLength) {
      problems.push({ field: 'note', reason: `must be at most ${maxNoteLength} characters` });
    }
    if (problems.length > 0) throw invalid(problems);

    await db.transaction().execute(async (trx) => {
      const inserted = await this.repository.insertExperience(trx, {
        id: newId(),
        learnerId: learner.id,
        programId: program.id,
        key: experience!.key,
        signedOffBy: actor.id,
        signedOffOn: input.signedOffOn,
        note,
      });
      if (!inserted) throw conflict(`${experience!.name} is already signed off for ${learner.name}.`);
      await this.store.refreshLearners(trx, [learner.id]);
      await this.audit.record(trx, actor, {
        action: 'progress.experience_signed_off',
        entityType: 'learner',
        entityId: learner.id,
        after: { program: program.slug, key: experience!.key, signedOffOn: input.signedOffOn, note },
      });
    });
  }

  /** Approves a course substitution for one learner in one program; counts at once. */
  async approveSubstitution(
    actor: Actor,
    slug: string,
    learnerId: string,
    input: { requiredCourse: string; substituteCourse: string; reason: string },
  ): Promise<void> {
    const db = this.database.db;
    const program = await this.#overseenProgram(actor, slug);
    const { learner } = await this.#enrolledLearner(db, learnerId, program);
    const own = ownRecordRefusal(actor, learner);
    if (own) throw forbidden(own);
    const rule = readProgramRule(program.requirement);
    const required = normalizeCourseCode(input.requiredCourse);
    const substitute = normalizeCourseCode(input.substituteCourse);
    const reason = input.reason.trim();
    const known = await this.repository.courseTitles(db, [substitute]);
    const problems: FieldProblem[] = [];
    if (rule === null || !coursesInRule(rule).includes(required)) {
      problems.push({ field: 'requiredCourse', reason: 'must be a course this program names' });
    }
    if (substitute === '') problems.push({ field: 'substituteCourse', reason: 'is required' });
    else if (!known.has(substitute)) {
      problems.push({ field: 'substituteCourse', reason: `${substitute} is not a course in the catalog` });
    } else if (substitute === required) {
      problems.push({
        field: 'substituteCourse',
        reason: 'must be a different course from the required one',
      });
    }
    if (reason === '') problems.push({ field: 'reason', reason: 'is required' });
    else if (reason.length > maxNoteLength) {
      problems.push({ field: 'reason', reason: `must be at most ${maxNoteLength} characters` });
    }
    if (problems.length > 0) throw invalid(problems);

    await db.transaction().execute(async (trx) => {
      const inserted = await this.repository.insertSubstitution(trx, {
        id: newId(),
        learnerId: learner.id,
        programId: program.id,
        requiredCourse: required,
        substituteCourse: substitute,
        approvedBy: actor.id,
        reason,
      });
      if (!inserted) {
        throw conflict(`${substitute} already counts as ${required} for ${learner.name} in this program.`);
      }
      await this.store.refreshLearners(trx, [learner.id]);
      await this.audit.record(trx, actor, {
        action: 'progress.substitution_approved',
        entityType: 'learner',
        entityId: learner.id,
        after: { program: program.slug, requiredCourse: required, substituteCourse: substitute, reason },
      });
    });
  }

  /** The programs whose learners this person oversees: their own as a lead, or all with learners as staff. */
  listOverseenPrograms(actor: Actor) {
    return this.repository.listProgramsWithLearners(
      this.database.db,
      overseesEveryProgram(actor) ? null : actor.id,
    );
  }

  async #overseenProgram(actor: Actor, slug: string): Promise<ProgramSummary> {
    const program = await this.repository.findProgramBySlug(this.database.db, slug);
    if (!program) throw notFound('That program');
    assertOverseesProgram(actor, program);
    return program;
  }

  async #enrolledLearner(db: Db, learnerId: string, program: ProgramSummary) {
    const [learner, enrolment] = await Promise.all([
      this.repository.findLearner(db, learnerId),
      this.repository.findEnrolment(db, learnerId, program.id),
    ]);
    if (!learner || !enrolment) throw notFound('That learner in this program');
    return { learner, enrolment };
  }
}

/** Status and a search over name, e-mail and student ID (case-insensitive). */
export function filterLearners(
  learners: readonly ProgramLearnerProgress[],
  filter: ProgramFilter,
): ProgramLearnerProgress[] {
  const words = (filter.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return learners.filter((learner) => {
    if (filter.status !== undefined && learner.progress.status !== filter.status) return false;
    if (words.length === 0) return true;
    const haystack = `${learner.name} ${learner.email} ${learner.studentId}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
