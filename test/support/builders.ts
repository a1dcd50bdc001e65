/**
 * Test data builders: each call makes one thing with sensible defaults, unique names and only the fields a
 * test overrides, on a test app started without the demo, so a test makes exactly what it asserts on.
 * People go through the accounts service and badges through the progress and issuing services, as in the
 * app; the established catalogue (departments, courses, programs, learner records, completions) has no
 * service that writes it outside the proposal workflow and the student-system import, so it goes through
 * the repository the demo seed uses.
 */
import { CatalogSeedRepository } from '../../src/catalog/catalog-seed.repository.ts';
import { InstitutionRepository } from '../../src/institution/institution.repository.ts';
import { LearnerSeedRepository } from '../../src/learners/learner-seed.repository.ts';
import type { Actor } from '../../src/platform/actor.ts';
import { type ApiScope, allApiScopes } from '../../src/platform/api-scopes.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import type { Role } from '../../src/platform/roles.ts';
import type {
  CreditType,
  EnrolmentPath,
  Level,
  ProgramState,
} from '../../src/programs/program-vocabulary.ts';
import { ProgramsRepository } from '../../src/programs/programs.repository.ts';
import { BrowserSession } from './browser-session.ts';
import type { TestApp } from './test-app.ts';

/** The password of every account a builder makes. */
export const TEST_PASSWORD = 'builder-password-long-enough';

// Each row goes through the repository of the module that owns its table (the demo seeder uses the same ones).
const institutionRows = new InstitutionRepository();
const catalogRows = new CatalogSeedRepository();
const programRows = new ProgramsRepository();
const learnerRows = new LearnerSeedRepository();
const rows = {
  hasInstitution: async (db: Db) => (await institutionRows.find(db)) !== undefined,
  insertInstitution: institutionRows.insert.bind(institutionRows),
  insertDepartments: catalogRows.insertDepartments.bind(catalogRows),
  insertCourses: catalogRows.insertCourses.bind(catalogRows),
  insertProgram: programRows.insertProgramRow.bind(programRows),
  insertProgramCourses: programRows.replaceCourses.bind(programRows),
  insertLearner: learnerRows.insertLearner.bind(learnerRows),
  insertEnrolment: learnerRows.insertEnrolment.bind(learnerRows),
  insertCompletions: learnerRows.insertCompletions.bind(learnerRows),
};
// One counter per test process; every test file has a database of its own, so this keeps values unique.
let sequence = 0;
const next = () => {
  sequence += 1;
  return sequence;
};

/** A person with an account: what services take as the actor, and a way to sign in as them. */
export interface Person extends Actor {
  signIn(): Promise<BrowserSession>;
}

/** An active account with the given roles (none by default), through the accounts service. */
export async function anAccount(
  app: TestApp,
  fields: { name?: string; email?: string; roles?: Role[] } = {},
): Promise<Person> {
  const n = next();
  const name = fields.name ?? `Person ${n}`;
  const email = fields.email ?? `person.${n}@builders.example`;
  const roles = fields.roles ?? [];
  const id = await app.services.accounts.createUser(app.database.db, {
    email,
    name,
    password: TEST_PASSWORD,
    roles,
  });
  return {
    id,
    name,
    email: email.toLowerCase(),
    roles,
    async signIn() {
      const browser = new BrowserSession(app);
      await browser.login(email, TEST_PASSWORD);
      return browser;
    },
  };
}

/** A staff member holding one role (`program_lead`, `registrar`, `admin` …). */
export function aStaffMember(app: TestApp, role: Role, fields: { name?: string; email?: string } = {}) {
  return anAccount(app, { ...fields, roles: [role] });
}

/**
 * The institution's settings, which issuing needs to name the badge's issuer; made once per database (a
 * second call keeps the first).
 */
export async function anInstitution(
  app: TestApp,
  fields: { name?: string; shortName?: string; url?: string } = {},
) {
  const db = app.database.db;
  if (!(await rows.hasInstitution(db))) {
    await rows.insertInstitution(db, {
      name: fields.name ?? 'Builders University',
      short_name: fields.shortName ?? 'BU',
      url: fields.url ?? 'https://builders.example',
      email: 'credentials@builders.example',
      phone: '+1 555 0100',
      address: '1 Test Way, Springfield',
      description: 'A university made for one test file.',
      primary_colour: '#0b4f6c',
      accent_colour: '#b3541e',
      academic_year_start_month: 9,
      default_fee_cents: 1000,
    });
    app.services.institution.forget();
  }
  return app.services.institution.get();
}

/** A department; programs and courses belong to one. */
export async function aDepartment(app: TestApp, fields: { code?: string; name?: string } = {}) {
  const n = next();
  const department = { code: fields.code ?? `D${n}`, name: fields.name ?? `Department ${n}` };
  await rows.insertDepartments(app.database.db, [department]);
  return department;
}

/** A course in the catalogue, with a code the student-system import accepts (letters, space, digits). */
export async function aCourse(
  app: TestApp,
  fields: { code?: string; title?: string; credits?: number; level?: Level; department?: string } = {},
) {
  const n = next();
  const course = {
    code: fields.code ?? `BLD ${String(n).padStart(3, '0')}`,
    title: fields.title ?? `Course ${n}`,
    credits: fields.credits ?? 3,
    level: fields.level ?? 'undergraduate',
    departmentCode: fields.department ?? null,
  };
  await rows.insertCourses(app.database.db, [course]);
  return course;
}

export interface BuiltProgram {
  id: string;
  slug: string;
  title: string;
  creditType: CreditType;
  courses: string[];
  leadUserId: string | null;
}

/**
 * A program as it stands after its approval: established, open to every enrolment path, with two new
 * courses each passed at C- or better unless `courses` or `requirement` say otherwise.
 */
export async function aProgram(
  app: TestApp,
  fields: {
    title?: string;
    slug?: string;
    status?: ProgramState;
    creditType?: CreditType;
    level?: Level;
    credits?: { min: number; max: number };
    feeCents?: number;
    validityYears?: number;
    /** What renewing the badge takes (a requirement rule); left out, the program's own requirement again. */
    renewalRequirement?: unknown;
    pilotStartYear?: number;
    /** The day the pilot was approved ('YYYY-MM-DD'). */
    pilotStartedOn?: string;
    /** The day the program became established ('YYYY-MM-DD'). */
    establishedOn?: string;
    courses?: string[];
    requirement?: unknown;
    enrolmentPaths?: EnrolmentPath[];
    lead?: { id: string } | null;
    department?: string;
    /** Certificates (by slug) the program's proposal says it stacks into. */
    stacksInto?: string[];
  } = {},
): Promise<BuiltProgram> {
  const n = next();
  const title = fields.title ?? `Program ${n}`;
  const slug = fields.slug ?? `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${n}`;
  const department = fields.department ?? (await aDepartment(app)).code;
  const courses = fields.courses ?? [(await aCourse(app)).code, (await aCourse(app)).code];
  const requirement = fields.requirement ?? {
    type: 'all',
    rules: courses.map((code) => ({ type: 'course', code, minGrade: 'C-' })),
  };
  const credits = fields.credits ?? { min: 6, max: 6 };
  const creditType = fields.creditType ?? 'credit';
  const id = newId();
  const db = app.database.db;
  await rows.insertProgram(db, {
    id,
    slug,
    title,
    summary: `What ${title} is about, in one line.`,
    description: `${title} in a few sentences.`,
    department_code: department,
    level: fields.level ?? 'undergraduate',
    credits_min: credits.min,
    credits_max: credits.max,
    credit_type: creditType,
    status: fields.status ?? 'established',
    pilot_start_year: fields.pilotStartYear ?? null,
    pilot_started_on: fields.pilotStartedOn ?? null,
    established_on: fields.establishedOn ?? null,
    fee_cents: fields.feeCents ?? 1000,
    validity_years: fields.validityYears ?? null,
    renewal_requirement: fields.renewalRequirement ? JSON.stringify(fields.renewalRequirement) : null,
    outcomes: JSON.stringify([`Do what ${title} teaches.`]),
    skills: JSON.stringify([{ name: `${title} skill` }]),
    requirement: JSON.stringify(requirement),
    stacks_into: JSON.stringify(fields.stacksInto ?? []),
    enrolment_paths: JSON.stringify(fields.enrolmentPaths ?? ['new', 'non_degree', 'current', 'returning']),
    lead_user_id: fields.lead?.id ?? null,
  });
  await rows.insertProgramCourses(db, id, courses);
  return { id, slug, title, creditType, courses, leadUserId: fields.lead?.id ?? null };
}

/**
 * A published certificate (its first version, as rows written outside the editor are) that stacks the programs
 * built with `stacksInto: [slug]`, with optional extra courses. Transcripted unless told otherwise.
 */
export async function aCertificate(
  app: TestApp,
  fields: {
    title?: string;
    slug?: string;
    creditsRequired?: number;
    badgesRequired?: number | null;
    isTranscripted?: boolean;
    courses?: { code: string; required: boolean }[];
  } = {},
) {
  const n = next();
  const title = fields.title ?? `Certificate ${n}`;
  const slug = fields.slug ?? `certificate-${n}`;
  await catalogRows.insertCertificates(app.database.db, [
    {
      slug,
      title,
      description: `${title}, stacked from badges.`,
      credits_required: fields.creditsRequired ?? 12,
      is_transcripted: fields.isTranscripted ?? true,
      badges_required: fields.badgesRequired ?? null,
      outcome: null,
    },
  ]);
  await catalogRows.insertCertificateCourses(app.database.db, slug, fields.courses ?? []);
  return { slug, title };
}

export interface BuiltLearner {
  id: string;
  name: string;
  email: string;
  studentId: string;
  /** The learner's account, unless built with `account: false` (a record the student system sent alone). */
  account: Person | null;
}

/** A built learner's e-mail and student ID, unique by the builders' counter `n`. */
function learnerIdentity(n: number) {
  return { email: `learner.${n}@students.builders.example`, studentId: `T${String(n).padStart(8, '0')}` };
}

/** An enrolment row as `anEnrolment` and `aCohort` write it (the `current` path, active, by default). */
function enrolmentRow(
  id: string,
  learner: { id: string },
  program: { id: string },
  fields: { path?: EnrolmentPath; enrolledOn?: string; status?: 'active' | 'withdrawn' | 'completed' } = {},
) {
  return {
    id,
    learner_id: learner.id,
    program_id: program.id,
    path: fields.path ?? 'current',
    enrolled_on: fields.enrolledOn ?? '2025-09-01',
    status: fields.status ?? 'active',
  };
}

/** A completion row as `aCompletion` and `aCohort` write it (a passing B by default). */
function completionRow(
  learner: { id: string },
  course: string,
  fields: { grade?: string; term?: string; completedOn?: string; credits?: number; source?: string } = {},
) {
  return {
    id: newId(),
    learner_id: learner.id,
    course_code: course,
    term: fields.term ?? '2025 Fall',
    grade: fields.grade ?? 'B',
    credits: fields.credits ?? 3,
    completed_on: fields.completedOn ?? '2025-12-12',
    source: fields.source ?? 'sis',
  };
}

/** A learner record, with an account of its own (role `learner`) unless `account: false`. */
export async function aLearner(
  app: TestApp,
  fields: {
    name?: string;
    email?: string;
    studentId?: string;
    status?: 'degree_seeking' | 'non_degree_seeking' | 'current' | 'returning';
    /** The record's account: a new learner's (the default), none (false), or someone's own (staff who are also learners). */
    account?: boolean | Person;
    /** False for a record whose student ID its holder typed into a form, not yet confirmed by anyone. */
    identityConfirmed?: boolean;
  } = {},
): Promise<BuiltLearner> {
  const n = next();
  const name = fields.name ?? `Learner ${n}`;
  const identity = learnerIdentity(n);
  const own = typeof fields.account === 'object' ? fields.account : undefined;
  const email = fields.email ?? own?.email ?? identity.email;
  const studentId = fields.studentId ?? identity.studentId;
  const account =
    own ?? (fields.account === false ? null : await anAccount(app, { name, email, roles: ['learner'] }));
  const id = newId();
  await rows.insertLearner(app.database.db, {
    id,
    user_id: account?.id ?? null,
    email: email.toLowerCase(),
    name,
    student_id: studentId,
    status: fields.status ?? 'current',
    identity_confirmed: fields.identityConfirmed ?? true,
  });
  return { id, name, email: email.toLowerCase(), studentId, account };
}

/** The learner enrolled in the program (on the `current` path by default). */
export async function anEnrolment(
  app: TestApp,
  learner: { id: string },
  program: { id: string },
  fields: { path?: EnrolmentPath; enrolledOn?: string; status?: 'active' | 'withdrawn' | 'completed' } = {},
) {
  const id = newId();
  // As enrolling does: the enrolment's stored progress is worked out in the same transaction, and the dashboards'
  // kept counts are told as the product tells them.
  await app.database.db.transaction().execute(async (trx) => {
    await rows.insertEnrolment(trx, enrolmentRow(id, learner, program, fields));
    await app.services.progress.store.refreshLearners(trx, [learner.id]);
    await app.services.insightFigures.onEnrolmentsChanged(trx, [program.id]);
  });
  return { id };
}

/** A course the learner completed, as the student system reports it (a passing B by default). */
export async function aCompletion(
  app: TestApp,
  learner: { id: string },
  course: string,
  fields: { grade?: string; term?: string; completedOn?: string; credits?: number; source?: string } = {},
) {
  const completion = completionRow(learner, course, fields);
  // As an import does: the learner's stored progress is worked out again in the same transaction.
  await app.database.db.transaction().execute(async (trx) => {
    await rows.insertCompletions(trx, [completion]);
    await app.services.progress.store.refreshLearners(trx, [learner.id]);
  });
  return completion;
}

/**
 * `size` learners without accounts who met the program's requirements: each enrolled and every course passed (a
 * B), as `aLearner`, `anEnrolment` and `aCompletion` leave them. Built in one transaction, with their progress
 * worked out once for all, as an import does: a cohort of hundreds built one learner at a time took over ten
 * seconds, most of it round trips. `name(i)` names the i-th (from 0).
 */
export async function aCohort(
  app: TestApp,
  program: { id: string; courses: readonly string[] },
  size: number,
  name: (i: number) => string = (i) => `Cohort Member${i}`,
): Promise<BuiltLearner[]> {
  const learners: BuiltLearner[] = Array.from({ length: size }, (_, i) => ({
    id: newId(),
    name: name(i),
    ...learnerIdentity(next()),
    account: null,
  }));
  await app.database.db.transaction().execute(async (trx) => {
    for (const learner of learners) {
      await rows.insertLearner(trx, {
        id: learner.id,
        user_id: null,
        email: learner.email,
        name: learner.name,
        student_id: learner.studentId,
        status: 'current',
        identity_confirmed: true,
      });
      await rows.insertEnrolment(trx, enrolmentRow(newId(), learner, program));
    }
    await rows.insertCompletions(
      trx,
      learners.flatMap((learner) => program.courses.map((course) => completionRow(learner, course))),
    );
    await app.services.progress.store.refreshLearners(
      trx,
      learners.map((learner) => learner.id),
    );
    await app.services.insightFigures.onEnrolmentsChanged(trx, [program.id]);
  });
  return learners;
}

/** A learner (built unless given) enrolled in the program who passed every one of its courses. */
export async function aGraduate(app: TestApp, program: BuiltProgram, learner?: BuiltLearner) {
  const who = learner ?? (await aLearner(app));
  await anEnrolment(app, who, program);
  for (const course of program.courses) await aCompletion(app, who, course);
  return who;
}

/**
 * A learner who met a program's requirements (enrolled, every course passed) and asked for its badge,
 * through the progress service. Learner and program are built unless given.
 */
export async function aBadgeRequest(
  app: TestApp,
  given: { learner?: BuiltLearner; program?: BuiltProgram } = {},
) {
  const program = given.program ?? (await aProgram(app));
  const learner = given.learner ?? (await aLearner(app));
  if (!learner.account) throw new Error('a badge request is made by a learner with an account');
  await aGraduate(app, program, learner);
  const request = await app.services.badgeRequests.requestBadge(learner.account, program.slug);
  return { request, learner, program };
}

/**
 * A badge issued from an approved request, the way staff issue it: requested by the learner, approved by
 * an administrator and issued by the program's office through the issuing service.
 */
export async function anIssuedBadge(
  app: TestApp,
  given: { learner?: BuiltLearner; program?: BuiltProgram; issuer?: Person } = {},
) {
  await anInstitution(app);
  const { request, learner, program } = await aBadgeRequest(app, given);
  const issuer = given.issuer ?? (await aStaffMember(app, 'admin'));
  await app.services.badgeRequests.decide(issuer, request.id, 'approve', '');
  // The program's own office, as the issuing module decides it (a hybrid program is seen by both).
  const office = program.creditType === 'non_credit' ? 'credentials_office' : 'registrar';
  const outcome = await app.services.issuing.issueApprovedRequests(issuer, office, [request.id]);
  const issued = outcome.issued[0];
  if (!issued) throw new Error(`the badge was not issued: ${JSON.stringify(outcome.refused)}`);
  return { credentialId: issued.credentialId, requestId: request.id, learner, program };
}

/** An API client for an integration, made by an administrator (built unless given), with its secret shown once. */
export async function anApiClient(
  app: TestApp,
  fields: { name?: string; scopes?: ApiScope[]; by?: Actor } = {},
) {
  const n = next();
  const by = fields.by ?? (await aStaffMember(app, 'admin'));
  const scopes = fields.scopes ?? [...allApiScopes];
  const made = await app.services.apiClients.createClient(by, {
    name: fields.name ?? `Integration ${n}`,
    scopes,
  });
  return { ...made, scopes };
}
