import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import {
  aCourse,
  aLearner,
  anInstitution,
  aProgram,
  aStaffMember,
  type BuiltLearner,
  type BuiltProgram,
  type Person,
} from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';

/** A small deterministic generator, so a failing sequence can be run again from its seed. */
function randomFrom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

const addDays = (day: string, days: number) => {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

describe(`stored progress on ${testBackend}`, () => {
  let app: TestApp;
  const clock = fixedClock('2026-03-02T10:00:00Z');
  const system = { system: 'stored progress test' };

  before(async () => {
    app = await startTestApp({ clock, runJobs: false });
    await anInstitution(app);
  });
  after(() => app.close());

  const today = () => clock.now().toISOString().slice(0, 10);

  /** Every counting enrolment, its stored row, and a fresh live evaluation of it. */
  async function compareAll(programs: readonly BuiltProgram[], when: string) {
    const db = app.database.db;
    const enrolments = await db
      .selectFrom('enrolments as e')
      .innerJoin('programs as p', 'p.id', 'e.program_id')
      .select(['e.id', 'e.learner_id', 'e.program_id', 'e.enrolled_on', 'p.requirement'])
      .where('e.status', '<>', 'withdrawn')
      .where(
        'e.program_id',
        'in',
        programs.map((p) => p.id),
      )
      .execute();
    const stored = new Map(
      (
        await app.services.progress.store.storedRows(
          db,
          enrolments.map((e) => e.id),
        )
      ).map((row) => [row.enrolmentId, row]),
    );
    for (const e of enrolments) {
      const live = await app.services.progress.measureEnrolment(
        db,
        e.learner_id,
        { id: e.program_id, requirement: e.requirement },
        e.enrolled_on,
      );
      const row = stored.get(e.id);
      assert.ok(row, `${when}: enrolment ${e.id} has a stored row`);
      assert.equal(row.asOf, today(), `${when}: the row is of today`);
      assert.deepEqual(
        {
          status: row.status,
          met: row.met,
          percent: row.percent,
          explanation: row.explanation,
          missing: row.missing,
          creditsEarned: row.creditsEarned,
          lastActivityOn: row.lastActivityOn,
        },
        {
          status: live.status,
          met: live.met,
          percent: live.percent,
          explanation: live.explanation,
          missing: live.missing,
          creditsEarned: live.creditsEarned,
          lastActivityOn: live.lastActivityOn,
        },
        `${when}: stored and live agree for enrolment ${e.id}`,
      );
    }
    return enrolments.length;
  }

  /** What the program page shows, against a live evaluation: never a stale verdict, stored or not. */
  async function compareReader(program: BuiltProgram, when: string) {
    const db = app.database.db;
    const [current] = await db
      .selectFrom('programs')
      .select('requirement')
      .where('id', '=', program.id)
      .execute();
    const { learners } = await app.services.progress.evaluateProgram(program.id);
    for (const learner of learners) {
      const live = await app.services.progress.measureEnrolment(
        db,
        learner.learnerId,
        { id: program.id, requirement: current!.requirement },
        learner.enrolledOn,
      );
      assert.equal(learner.progress.status, live.status, `${when}: the page's status for ${learner.name}`);
      assert.equal(learner.progress.percent, live.percent, `${when}: the page's percent for ${learner.name}`);
      assert.deepEqual(
        learner.progress.missing,
        live.missing,
        `${when}: the page's missing for ${learner.name}`,
      );
    }
    // What the program's figures count (read without names or order) tells every learner the same.
    const states = await app.services.progress.programStates(program.id);
    assert.equal(states.length, learners.length, `${when}: the figures count every learner once`);
    assert.deepEqual(
      new Map(states.map((s) => [s.learnerId, { status: s.status, missing: s.missing }])),
      new Map(learners.map((l) => [l.learnerId, { status: l.progress.status, missing: l.progress.missing }])),
      `${when}: the figures' states are the page's`,
    );
  }

  test('stored rows carry only the indexes their readers use: by enrolment and by program', async () => {
    // Every other index is written at each refresh and read by nothing (migration 0062).
    const { rows } = await sql<{ name: string }>`
      select indexname as name from pg_indexes where tablename = 'enrolment_progress' order by 1`.execute(
      app.database.db,
    );
    assert.deepEqual(
      rows.map((row) => row.name),
      ['enrolment_progress_pkey', 'enrolment_progress_program_idx'],
    );
  });

  test('after a random run of imports, sign-offs, substitutions, enrolments, rule changes and days passing, every stored row equals a live evaluation', async () => {
    const seed = Number(process.env.PROGRESS_STORE_SEED ?? 203);
    const random = randomFrom(seed);
    const lead: Person = await aStaffMember(app, 'program_lead');
    const courses = await Promise.all(
      [0, 1, 2, 3, 4].map(() => aCourse(app, { credits: 3 }).then((c) => c.code)),
    );
    const [c0, c1, c2, c3, c4] = courses as [string, string, string, string, string];
    const practicum = { type: 'experience', key: 'practicum', name: 'Practicum' };
    // Rules over the same courses, so changing a program's rule moves its learners' verdicts.
    const rules: unknown[] = [
      {
        type: 'all',
        rules: [
          { type: 'course', code: c0, minGrade: 'C' },
          { type: 'course', code: c1 },
        ],
      },
      { type: 'all', rules: [{ type: 'course', code: c2, minGrade: 'B' }, practicum] },
      { type: 'choose', count: 2, rules: courses.map((code) => ({ type: 'course', code })) },
      { type: 'within', years: 1, rule: { type: 'credits', min: 6, fromCourses: [c0, c1, c2, c3] } },
      { type: 'all', rules: [{ type: 'credits', min: 9 }, practicum] },
      { type: 'within', years: 2, rule: { type: 'all', rules: [{ type: 'course', code: c3 }, practicum] } },
    ];
    const programs: BuiltProgram[] = [];
    for (let i = 0; i < 3; i += 1) {
      programs.push(await aProgram(app, { courses: [c0, c1, c2, c3, c4], requirement: rules[i], lead }));
    }
    const learners: BuiltLearner[] = [];
    for (let i = 0; i < 6; i += 1) learners.push(await aLearner(app));
    const terms = ['2024 Fall', '2025 Spring', '2025 Fall', '2026 Spring', '2026 Fall'];
    const grades = ['A', 'B+', 'B', 'C', 'D', 'F'];
    const refused = (error: unknown) => {
      if (!(error instanceof AppError)) throw error;
    };
    const counts = { import: 0, enrol: 0, signOff: 0, substitution: 0, rule: 0, day: 0 };

    for (let step = 0; step < 45; step += 1) {
      const learner = random.pick(learners);
      const program = random.pick(programs);
      const action = random.pick([
        'import',
        'import',
        'enrol',
        'enrol',
        'signOff',
        'substitution',
        'rule',
        'day',
      ]);
      const when = `seed ${seed}, step ${step} (${action})`;
      if (action === 'import') {
        const lines = ['student_id,course_code,term,grade,credits'];
        for (let n = 1 + random.int(5); n > 0; n -= 1) {
          lines.push(
            `${random.pick(learners).studentId},${random.pick(courses)},${random.pick(terms)},${random.pick(grades)},3`,
          );
        }
        await app.services.completionImports.importCompletions(
          system,
          Readable.from([Buffer.from(lines.join('\n'))]),
          'random.csv',
          'cli',
        );
      } else if (action === 'enrol') {
        await app.services.learners.enrolCurrent(learner.account!, program.slug).catch(refused);
      } else if (action === 'signOff') {
        await app.services.progress
          .signOffExperience(lead, program.slug, learner.id, {
            key: 'practicum',
            signedOffOn: addDays(today(), -random.int(900)),
            note: '',
          })
          .catch(refused);
      } else if (action === 'substitution') {
        await app.services.progress
          .approveSubstitution(lead, program.slug, learner.id, {
            requiredCourse: random.pick(courses),
            substituteCourse: random.pick(courses),
            reason: 'Equivalent content',
          })
          .catch(refused);
      } else if (action === 'rule') {
        await app.database.db
          .updateTable('programs')
          .set({ requirement: JSON.stringify(random.pick(rules)) })
          .where('id', '=', program.id)
          .execute();
        // Before the job runs, the page already shows the new rule's verdicts.
        await compareReader(program, `${when}, before the job`);
        await app.services.progress.store.refreshProgram(program.id);
      } else {
        clock.set(`${addDays(today(), 1 + random.int(200))}T00:10:00Z`);
        for (const p of programs) await compareReader(p, `${when}, before the daily job`);
        await app.services.progress.store.refreshStale();
      }
      counts[action as keyof typeof counts] += 1;
      await compareAll(programs, when);
    }
    const enrolments = await compareAll(programs, `seed ${seed}, at the end`);
    // The run did something of each kind, and enrolled people: a run that changed nothing would prove nothing.
    for (const [kind, n] of Object.entries(counts)) assert.ok(n > 0, `the run had at least one ${kind}`);
    assert.ok(enrolments >= 5, `${enrolments} enrolments were compared`);
    const met = await app.database.db
      .selectFrom('enrolment_progress')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('met', '=', true)
      .executeTakeFirstOrThrow();
    assert.ok(Number(met.n) > 0, 'some enrolment was met along the way');
  });

  test('an import works out its learners again before it commits, and only theirs', async () => {
    const course = (await aCourse(app, { credits: 3 })).code;
    const program = await aProgram(app, { courses: [course], requirement: { type: 'course', code: course } });
    const [touched, untouched] = [await aLearner(app), await aLearner(app)];
    for (const learner of [touched, untouched]) {
      await app.services.learners.enrolCurrent(learner.account!, program.slug);
    }
    const before = await app.database.db
      .selectFrom('enrolment_progress')
      .select(['learner_id', 'met', 'refreshed_at'])
      .where('program_id', '=', program.id)
      .execute();
    assert.equal(before.length, 2, 'enrolling wrote each row');
    await app.services.completionImports.importCompletions(
      system,
      Readable.from([
        Buffer.from(
          `student_id,course_code,term,grade,credits\n${touched.studentId},${course},2025 Fall,A,3`,
        ),
      ]),
      'one.csv',
      'cli',
    );
    const after = await app.database.db
      .selectFrom('enrolment_progress')
      .select(['learner_id', 'met', 'refreshed_at'])
      .where('program_id', '=', program.id)
      .execute();
    const of = (rows: typeof after, id: string) => rows.find((r) => r.learner_id === id)!;
    assert.equal(of(after, touched.id).met, true);
    assert.ok(of(after, touched.id).refreshed_at > of(before, touched.id).refreshed_at);
    assert.equal(of(after, untouched.id).met, false);
    assert.deepEqual(of(after, untouched.id).refreshed_at, of(before, untouched.id).refreshed_at);
  });
});
