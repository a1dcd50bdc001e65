import { randomInt } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { AccountsService } from '../accounts/accounts.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { JoinedProgram } from '../catalog/joined-programs.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Actor } from '../platform/actor.ts';
import { type Clock, isoDate } from '../platform/clock.ts';
import type { Database, Db, Tx } from '../platform/db/database.ts';
import type { CompletionsTable, EnrolmentsTable, LearnersTable } from '../platform/db/schema.ts';
import { normaliseEmail } from '../platform/email-address.ts';
import {
  AppError,
  conflict,
  type FieldProblem,
  forbidden,
  invalid,
  invalidState,
  notFound,
} from '../platform/errors.ts';
import type { EventPublisher } from '../platform/events.ts';
import { formatDay } from '../platform/http/moment.ts';
import { newId } from '../platform/ids.ts';
import type { EnrolmentPath } from '../programs/program-vocabulary.ts';
import { enrolmentPathHeadings, isOpenForEnrolment } from '../programs/program-vocabulary.ts';
import { awardStatusOf } from '../progress/award-status.ts';
import { STUDENT_ID_PATTERN } from './learner-record-input.ts';
import { LearnerSeedRepository } from './learner-seed.repository.ts';
import type { LearnersEvents } from './learners.events.ts';
import { enrolmentConfirmedMail } from './learners.mail.ts';
import {
  canConfirmIdentity,
  ledByOf,
  mayActAsLearner,
  mayDo,
  OWN_IDENTITY_REFUSAL,
  recordScopeOf,
  UNVERIFIED_REFUSAL,
} from './learners.policy.ts';
import type { EnrollableProgram, LearnerRecord, LearnersRepository } from './learners.repository.ts';
import type { ReactivationsRepository } from './reactivations.repository.ts';

/** One demo enrolment with the completions that go with it. */
export interface DemoEnrolment {
  enrolment: Insertable<EnrolmentsTable>;
  completions: Insertable<CompletionsTable>[];
}

export interface LearnerSettings {
  publicUrl: string;
  /**
   * The institution's name (for e-mails), where new students apply (its admissions page, empty while none is set,
   * else its contact e-mail to ask) and the month its academic year starts (which terms a completions file may give).
   */
  institution: (
    within?: Db,
  ) => Promise<{ name: string; email: string; admissions_url: string; academic_year_start_month: number }>;
}

export interface NonDegreeForm {
  name: string;
  email: string;
  studentId: string;
  noAidAgreed: boolean;
}

/** How a new student applies: the institution's admissions page, or (null) none set, and whom to ask. */
export interface Admissions {
  url: string | null;
  askAt: string;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** True for the unique-constraint violation named, on PostgreSQL and PGlite alike. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string } | null;
  return e?.code === '23505' && e.constraint === constraint;
}

/**
 * Learner records and enrolment: who may join which program by which path, and what staff see of a learner.
 * Every enrolment is written with its audit entry and confirmation mail in one transaction.
 */
/**
 * How often the kept learner figures' change rows are folded: a busy day adds a few thousand rows (one per statement
 * that enrols, withdraws or removes), which a staff page sums; folded every five minutes they stay a handful.
 */
export const LEARNER_COUNTS_FOLD_SECONDS = 300;

export class LearnersService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly accounts: AccountsService,
    private readonly clock: Clock,
    private readonly settings: LearnerSettings,
    private readonly events: EventPublisher<LearnersEvents>,
    private readonly repository: LearnersRepository,
    private readonly reactivations: ReactivationsRepository,
    private readonly seeds = new LearnerSeedRepository(),
  ) {}

  /** Folds the change rows of the kept learner figures into one each (run now and then by a timer, app-services). */
  foldCounts(): Promise<number> {
    return this.repository.foldCounts(this.database.db);
  }

  /**
   * Writes one of the demo university's learners with their enrolments and completions, inside the seeding
   * transaction; the rows arrive checked by the demo's loader.
   */
  async seedDemoLearnerWithin(trx: Tx, learner: Insertable<LearnersTable>, enrolments: DemoEnrolment[]) {
    await this.seeds.insertLearner(trx, learner);
    for (const e of enrolments) {
      await this.seeds.insertEnrolment(trx, e.enrolment);
      await this.seeds.insertCompletions(trx, e.completions);
    }
    if (enrolments.length > 0) {
      await this.events.publish(trx, 'enrolments.recorded', {
        enrolments: enrolments.map((e) => ({ learnerId: learner.id, programId: e.enrolment.program_id })),
      });
    }
  }

  /**
   * Links the learner record with this e-mail address to a new or newly claiming account, inside the caller's
   * transaction (claiming a badge does); the record's id, or undefined when there is none to link.
   */
  async linkRecordToAccount(trx: Tx, userId: string, email: string): Promise<string | undefined> {
    // An address nobody has proven is only typed: it must never open someone's record.
    if (!(await this.accounts.isEmailVerified(trx, userId))) return undefined;
    return this.repository.linkRecordToAccount(trx, userId, email);
  }

  /** Whether this person must prove their address before enrolling or asking for anything. */
  async needsEmailProof(actor: Actor, db: Db = this.database.db): Promise<boolean> {
    return !mayActAsLearner({ isEmailVerified: await this.accounts.isEmailVerified(db, actor.id) });
  }

  /** Refuses a person whose address is not proven yet (enrolling, asking to return). */
  async assertMayActAsLearner(db: Db, actor: Actor): Promise<void> {
    if (await this.needsEmailProof(actor, db)) throw forbidden(UNVERIFIED_REFUSAL);
  }

  /** The program as a visitor who has not signed in sees it on the enrolment page. */
  async programForVisitor(slug: string) {
    const program = await this.#program(this.database.db, slug);
    return { program, isOpen: isOpenForEnrolment(program.status), admissions: await this.#admissions() };
  }

  /** The program, and where the signed-in person stands with it, for the enrolment page. */
  async enrolmentState(actor: Actor, slug: string) {
    const db = this.database.db;
    const program = await this.#program(db, slug);
    const learner = (await this.repository.findLearnerByUser(db, actor.id)) ?? null;
    const enrolment = learner
      ? ((await this.repository.findEnrolment(db, learner.id, program.id)) ?? null)
      : null;
    const pendingReactivation = (await this.reactivations.findPending(db, actor.id, program.id)) ?? null;
    return {
      program,
      learner,
      enrolment,
      pendingReactivation,
      isOpen: isOpenForEnrolment(program.status),
      admissions: await this.#admissions(),
    };
  }

  /**
   * The programs this person is enrolled in or completed, not those they withdrew from: the catalog shows them as
   * joined instead of offering to enrol again. Nothing for someone with no learner record.
   */
  async joinedPrograms(actor: Actor): Promise<JoinedProgram[]> {
    const db = this.database.db;
    const learner = await this.repository.findLearnerByUser(db, actor.id);
    if (!learner) return [];
    const joined: JoinedProgram[] = [];
    for (const e of await this.repository.enrolmentsOf(db, learner.id)) {
      if (e.status !== 'withdrawn') joined.push({ slug: e.slug, status: e.status, enrolledOn: e.enrolledOn });
    }
    return joined;
  }

  /** A current student with a learner record joins a program directly. */
  async enrolCurrent(actor: Actor, slug: string): Promise<void> {
    await this.#withEnrolmentRace(async (trx) => {
      await this.assertMayActAsLearner(trx, actor);
      const program = await this.#program(trx, slug);
      this.assertAccepts(program, 'current');
      const learner = await this.repository.findLearnerByUser(trx, actor.id);
      if (!learner) {
        throw invalidState(
          'Your account is not linked to a student record yet. Ask the registrar to link it, or enrol as a non-degree learner.',
        );
      }
      await this.enrolInTransaction(trx, actor, { learner, program, path: 'current', userId: actor.id });
    });
  }

  /** A non-degree learner enrols: their learner record is created on the way if they have none. */
  async enrolNonDegree(actor: Actor, slug: string, form: NonDegreeForm): Promise<void> {
    await this.#withEnrolmentRace(async (trx) => {
      await this.assertMayActAsLearner(trx, actor);
      const program = await this.#program(trx, slug);
      this.assertAccepts(program, 'non_degree');
      let learner = await this.repository.findLearnerByUser(trx, actor.id);
      const problems: FieldProblem[] = [];
      if (!form.noAidAgreed) {
        problems.push({
          field: 'noAid',
          reason: 'must be ticked to show you understand financial aid does not apply',
        });
      }
      if (!learner) problems.push(...(await this.#newRecordProblems(trx, actor, form)));
      if (problems.length > 0) throw invalid(problems);
      if (!learner) learner = await this.#createRecord(trx, actor, form);
      await this.enrolInTransaction(trx, actor, { learner, program, path: 'non_degree', userId: actor.id });
    });
  }

  /** Refuses programs that are not taking learners, or not by this path. */
  assertAccepts(program: EnrollableProgram, path: EnrolmentPath): void {
    if (!isOpenForEnrolment(program.status)) {
      throw invalidState(`${program.title} is not open for enrolment.`);
    }
    if (!program.enrolmentPaths.includes(path)) {
      throw invalidState(
        `${program.title} does not take enrolments by the path "${enrolmentPathHeadings[path]}".`,
      );
    }
  }

  /**
   * Writes an enrolment (or reopens a withdrawn one), makes the person a learner if they were not, and records
   * the audit entries and the confirmation mail, all in the caller's transaction. An active or completed
   * enrolment is a CONFLICT unless `keepExisting` is set, in which case it is left as it is.
   */
  async enrolInTransaction(
    trx: Tx,
    actor: Actor,
    input: {
      learner: LearnerRecord;
      program: EnrollableProgram;
      path: EnrolmentPath;
      userId: string | null;
      keepExisting?: boolean;
      mail?: boolean;
    },
  ): Promise<{ enrolmentId: string; created: boolean }> {
    const { learner, program, path } = input;
    const today = isoDate(this.clock.now());
    const existing = await this.repository.findEnrolment(trx, learner.id, program.id);
    if (existing && existing.status !== 'withdrawn') {
      if (input.keepExisting) return { enrolmentId: existing.id, created: false };
      throw conflict(
        existing.status === 'completed'
          ? `You have already completed ${program.title}.`
          : `You are already enrolled in ${program.title} (since ${formatDay(existing.enrolledOn)}).`,
      );
    }
    const enrolmentId = existing?.id ?? newId();
    if (existing) await this.repository.reopenEnrolment(trx, existing.id, path, today);
    else
      await this.repository.insertEnrolment(trx, {
        id: enrolmentId,
        learnerId: learner.id,
        programId: program.id,
        path,
        enrolledOn: today,
      });
    await this.events.publish(trx, 'enrolments.recorded', {
      enrolments: [{ learnerId: learner.id, programId: program.id }],
    });
    await this.audit.record(trx, actor, {
      action: existing ? 'enrolment.reopened' : 'enrolment.created',
      entityType: 'enrolment',
      entityId: enrolmentId,
      after: {
        learnerId: learner.id,
        studentId: learner.studentId,
        program: program.slug,
        path,
        enrolledOn: today,
      },
    });
    if (input.userId && (await this.accounts.grantRole(trx, input.userId, 'learner'))) {
      await this.audit.record(trx, actor, {
        action: 'account.role_granted',
        entityType: 'user',
        entityId: input.userId,
        after: { role: 'learner', because: `enrolled in ${program.slug}` },
      });
    }
    if (input.mail !== false) {
      await this.notifications.queueMail(trx, {
        ...enrolmentConfirmedMail({
          to: { name: learner.name, email: learner.email },
          programTitle: program.title,
          institution: (await this.settings.institution(trx)).name,
          publicUrl: this.settings.publicUrl,
          enrolledOn: today,
        }),
        kind: 'enrolment_confirmed',
      });
    }
    return { enrolmentId, created: true };
  }

  /**
   * Learners matching a search. A program lead who is not also records staff sees only their own programs'
   * learners, and counts only those programs' enrolments.
   */
  searchLearners(actor: Actor, q: string | undefined) {
    const scope = recordScopeOf(actor);
    if (scope.kind === 'none') throw forbidden('Only records staff and program leads see learner records.');
    return this.repository.searchLearners(this.database.db, {
      q: q?.trim() || undefined,
      ledBy: ledByOf(scope),
      limit: 200,
    });
  }

  /**
   * A learner's record with enrolments and completions, for staff. A program lead sees it only for a learner in
   * a program they lead, and then only the part that concerns their programs (`isNarrowed`).
   */
  async learnerRecord(actor: Actor, id: string) {
    const db = this.database.db;
    const scope = recordScopeOf(actor);
    const ledBy = ledByOf(scope);
    const learner = await this.repository.findLearnerById(db, id);
    if (!learner) throw notFound('That learner');
    if (scope.kind === 'none' || (ledBy && !(await this.repository.isInProgramsLedBy(db, id, ledBy)))) {
      throw forbidden('You can see the records of learners enrolled in the programs you lead.');
    }
    const today = isoDate(this.clock.now());
    const [enrolments, completions, awards] = await Promise.all([
      this.repository.enrolmentsOf(db, id, ledBy),
      this.repository.completionsOf(db, id, ledBy),
      this.repository.awardRecordsOf(db, id),
    ]);
    // The latest of each program is the last one in the map (both lists are oldest first).
    const latestRequest = new Map(awards.requests.map((r) => [r.programId, r]));
    const latestCredential = new Map(awards.credentials.map((c) => [c.programId, c]));
    return {
      learner,
      // Each enrolment's badge, in the words the learner's own pages use: one rule, awardStatusOf.
      enrolments: enrolments.map((enrolment) => {
        const credential = latestCredential.get(enrolment.programId);
        const awardStatus = awardStatusOf({
          request: latestRequest.get(enrolment.programId) ?? null,
          credential: credential
            ? { status: credential.status, isClaimed: credential.claimedAt !== null }
            : null,
        });
        return { ...enrolment, awardStatus };
      }),
      // As the learner's progress reads them (`enrolment-progress.ts`): a grade dated after today is on record but
      // waits for its term to end, and the page says so rather than show a completion day still to come.
      completions: completions.map((c) => ({ ...c, isPendingTermEnd: c.completedOn > today })),
      isNarrowed: ledBy !== undefined,
    };
  }

  /**
   * Staff confirm a self-declared student ID after checking the person against the student system themselves
   * (completions held back for that ID are then taken when the file is imported again). The tick is required:
   * confirming is a statement about identity, made knowingly and kept in the audit log.
   */
  async confirmIdentity(actor: Actor, learnerId: string, isVerified: boolean): Promise<void> {
    if (!mayDo(actor, 'confirm_identity')) {
      throw forbidden('Only the registrar, the credentials office and administrators confirm identities.');
    }
    if (!isVerified) {
      throw invalid(
        [
          {
            field: 'identityVerified',
            reason: "must be ticked once you have verified this person's identity",
          },
        ],
        "Tick the box to say you have verified this person's identity.",
      );
    }
    await this.database.db.transaction().execute(async (trx) => {
      const learner = await this.repository.findLearnerById(trx, learnerId);
      if (!learner) throw notFound('That learner');
      if (!canConfirmIdentity(actor, learner)) throw forbidden(OWN_IDENTITY_REFUSAL);
      if (learner.identityConfirmed) return;
      await this.repository.updateLearner(trx, learnerId, { identityConfirmed: true });
      await this.audit.record(trx, actor, {
        action: 'learner.identity_confirmed',
        entityType: 'learner',
        entityId: learnerId,
        before: { identityConfirmed: false },
        after: { identityConfirmed: true, studentId: learner.studentId, by: 'staff verification' },
      });
    });
  }

  /** A student ID for someone who has none: 'N' and eight digits, not used by anyone yet. */
  async generateStudentId(db: Db): Promise<string> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const candidate = `N${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
      if (!(await this.repository.isStudentIdTaken(db, candidate))) return candidate;
    }
    throw new AppError('INTERNAL', 'A new student ID could not be chosen. Please try again.');
  }

  async #newRecordProblems(db: Db, actor: Actor, form: NonDegreeForm): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    const name = form.name.trim();
    const email = normaliseEmail(form.email);
    const studentId = form.studentId.trim();
    if (name.length < 2 || name.length > 200)
      problems.push({ field: 'name', reason: 'must be between 2 and 200 characters' });
    if (!EMAIL_PATTERN.test(email)) problems.push({ field: 'email', reason: 'must be an e-mail address' });
    else if (email.toLowerCase() !== actor.email.trim().toLowerCase()) {
      // The e-mail on a record is what the student system and badges go by, so it must be one the person proved.
      problems.push({ field: 'email', reason: `must be your account's address, ${actor.email}` });
    } else if (await this.repository.findLearnerByEmail(db, email)) {
      problems.push({
        field: 'email',
        reason: 'is already on another learner record; ask the registrar to link it to your account',
      });
    }
    if (studentId !== '') {
      if (!STUDENT_ID_PATTERN.test(studentId)) {
        problems.push({ field: 'studentId', reason: 'must be 3 to 20 letters, digits or hyphens' });
      } else if (await this.repository.isStudentIdTaken(db, studentId)) {
        // Never linked from here: a record on file is joined to an account only once identity is confirmed.
        problems.push({
          field: 'studentId',
          reason:
            'is already on another learner record; if it is yours, ask to return as a student instead, or ask the registrar',
        });
      }
    }
    return problems;
  }

  /**
   * A new record for a non-degree learner. A student ID the learner typed is kept but not trusted: the record is
   * unconfirmed until the student system names this account's e-mail for the ID (see the completions import), so
   * someone who types a real student's unused ID does not receive that student's grades.
   */
  async #createRecord(trx: Tx, actor: Actor, form: NonDegreeForm): Promise<LearnerRecord> {
    const declared = form.studentId.trim();
    const record: LearnerRecord = {
      id: newId(),
      userId: actor.id,
      name: form.name.trim(),
      email: normaliseEmail(form.email),
      studentId: declared || (await this.generateStudentId(trx)),
      status: 'non_degree_seeking',
      identityConfirmed: declared === '',
      createdAt: this.clock.now(),
    };
    await this.repository.insertLearner(trx, { ...record, userId: actor.id });
    await this.audit.record(trx, actor, {
      action: 'learner.created',
      entityType: 'learner',
      entityId: record.id,
      after: {
        name: record.name,
        email: record.email,
        studentId: record.studentId,
        status: record.status,
        identityConfirmed: record.identityConfirmed,
      },
    });
    return record;
  }

  /** Where new students apply: the admissions page the institution set, or none and the address to ask. */
  async #admissions(): Promise<Admissions> {
    const institution = await this.settings.institution();
    return { url: institution.admissions_url.trim() || null, askAt: institution.email };
  }

  async #program(db: Db, slug: string): Promise<EnrollableProgram> {
    const program = await this.repository.findProgramBySlug(db, slug);
    if (!program) throw notFound('That micro-credential');
    return program;
  }

  /** Two submissions at once can both pass the checks; the unique constraint then decides, with a clear message. */
  async #withEnrolmentRace(work: (trx: Tx) => Promise<void>): Promise<void> {
    try {
      await this.database.db.transaction().execute(work);
    } catch (error) {
      if (isUniqueViolation(error, 'enrolments_learner_id_program_id_key')) {
        throw conflict('You are already enrolled in this micro-credential.');
      }
      if (
        isUniqueViolation(error, 'learners_user_id_key') ||
        isUniqueViolation(error, 'learners_student_id_key')
      ) {
        throw conflict(
          'Your learner record was just created by another request. Reload the page and try again.',
        );
      }
      throw error;
    }
  }
}
