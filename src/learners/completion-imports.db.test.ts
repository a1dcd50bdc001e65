import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import { aCompletion, aCourse, aLearner, aStaffMember } from '../../test/support/builders.ts';
import { syntheticCompletionsCsv, withPeakMemory } from '../../test/support/completions-fixture.ts';
import { importTableCounts, postCompletionsApi, uploadCompletions } from '../../test/support/learners.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { AppError } from '../platform/errors.ts';
import { isUuid, newId } from '../platform/ids.ts';
import { importedLearnerIds } from './learners.queries.ts';

const system = { system: 'test import' };
// A 1×1 transparent PNG: the bytes of a real image, given a .csv name below.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe(`completions import on ${testBackend}`, () => {
  let app: TestApp;
  let registrar: BrowserSession;
  let learner: BrowserSession;
  // A student body and a course list for the large synthetic files, built before the tests and only read.
  let studentIds: string[];
  let courseCodes: string[];

  const importText = (text: string | Buffer, name = 'sis.csv') =>
    app.services.completionImports.importCompletions(system, Readable.from([Buffer.from(text)]), name, 'cli');

  const storedGrade = async (learnerId: string, course: string, term: string) =>
    (
      await app.database.db
        .selectFrom('completions')
        .select('grade')
        .where('learner_id', '=', learnerId)
        .where('course_code', '=', course)
        .where('term', '=', term)
        .executeTakeFirst()
    )?.grade;

  /**
   * A learner with two completions on record and a file about them in another header order and case: one
   * row of each outcome (new, corrected, unchanged) and each kind of rejection.
   */
  async function aCraftedFile() {
    const who = await aLearner(app, { account: false });
    const [corrected, kept, fresh] = [await aCourse(app), await aCourse(app), await aCourse(app)];
    const stored = await aCompletion(app, who, corrected.code, {
      term: '2025 Fall',
      grade: 'B',
      credits: corrected.credits,
      completedOn: '2025-12-12',
    });
    await aCompletion(app, who, kept.code, {
      term: '2026 Winter',
      grade: 'A-',
      credits: kept.credits,
      completedOn: '2026-03-20',
    });
    const id = who.studentId;
    const csv = [
      'Term,STUDENT_ID,course_code,Grade,credits,completed_on',
      `2026 Spring,${id},${fresh.code},A,${fresh.credits},`,
      `2025 Fall,${id},${corrected.code},A-,${corrected.credits},`,
      `2026 Winter,${id},${kept.code},A-,${kept.credits},`,
      `2026 Spring,C99999999,${fresh.code},A,3,`,
      `2026 Spring,${id},NOPE 999,A,3,`,
      `2026 Spring,${id},${fresh.code},Q,3,`,
      `2026 Summer,${id},${fresh.code},B,45,`,
      `2026 Summer,${id},${fresh.code},B,3,2026-13-01`,
      `spring 2026,${id},${fresh.code.toLowerCase()},B,3,`,
    ].join('\n');
    return { csv, learner: who, newCourse: fresh.code, corrected: { ...stored, code: corrected.code } };
  }

  /** The corrections the audit log holds for one stored completion. */
  const correctionsOf = async (completionId: string) =>
    (await app.services.audit.list({ action: 'completion.corrected', limit: 100, offset: 0 })).filter(
      (entry) => entry.entity_id === completionId,
    );

  before(async () => {
    app = await startTestApp({ runJobs: false });
    registrar = await (await aStaffMember(app, 'registrar')).signIn();
    learner = await (await aLearner(app)).account!.signIn();
    studentIds = [];
    for (let i = 0; i < 13; i += 1) studentIds.push((await aLearner(app, { account: false })).studentId);
    courseCodes = [];
    for (let i = 0; i < 20; i += 1) courseCodes.push((await aCourse(app)).code);
  });
  after(() => app.close());

  test('a crafted file gets one outcome per row: new, corrected, unchanged and rejected with reasons', async () => {
    const { csv: crafted, learner: who, newCourse } = await aCraftedFile();
    const before = await importTableCounts(app);
    const result = await importText(crafted, 'crafted.csv');
    assert.deepEqual(
      {
        rows: result.rowsTotal,
        accepted: result.accepted,
        updated: result.updated,
        unchanged: result.unchanged,
        rejected: result.rejected,
      },
      { rows: 9, accepted: 1, updated: 1, unchanged: 1, rejected: 6 },
    );
    const after = await importTableCounts(app);
    assert.equal(after.completions, before.completions + 1);
    assert.equal(after.importRows, before.importRows + 9);

    const rejected = await app.services.completionImports.reportRows(result.id, {
      outcome: 'rejected',
      limit: 50,
    });
    const reasons = new Map(rejected.map((r) => [r.rowNumber, r.reason ?? '']));
    assert.match(reasons.get(5)!, /no learner has student ID "C99999999"/);
    assert.match(reasons.get(6)!, /course NOPE 999 is not in the course list/);
    assert.match(reasons.get(7)!, /grade "Q" is not on the grade scale/);
    assert.match(reasons.get(8)!, /credits "45" is not a whole number from 0 to 30/);
    assert.match(reasons.get(9)!, /completed_on "2026-13-01" is not a date/);
    assert.match(reasons.get(10)!, /duplicate: line 2 already gives this student, course and term/);

    const added = await app.database.db
      .selectFrom('completions')
      .select(['grade', 'completed_on', 'source'])
      .where('learner_id', '=', who.id)
      .where('course_code', '=', newCourse)
      .executeTakeFirstOrThrow();
    assert.deepEqual(added, { grade: 'A', completed_on: '2026-06-12', source: 'sis' });
  });

  test("an import's new completions get ids in the order of the file's lines, distinct UUIDs", async () => {
    const who = await aLearner(app, { account: false });
    const courses = [];
    for (let i = 0; i < 8; i++) courses.push(await aCourse(app));
    const csv = [
      'student_id,course_code,term,grade,credits',
      ...courses.map((c) => `${who.studentId},${c.code},2025 Fall,A,${c.credits}`),
    ].join('\n');
    assert.equal((await importText(csv)).accepted, 8);
    const stored = await app.database.db
      .selectFrom('completions')
      .select(['id', 'course_code'])
      .where('learner_id', '=', who.id)
      .orderBy('id')
      .execute();
    // Ascending ids keep the primary key growing at one end (see writeCompletions).
    assert.deepEqual(
      stored.map((c) => c.course_code),
      courses.map((c) => c.code),
    );
    assert.equal(new Set(stored.map((c) => c.id)).size, 8);
    assert.ok(stored.every((c) => isUuid(c.id)));
  });

  test('a corrected grade replaces the stored one and the audit log keeps before and after', async () => {
    const { csv: crafted, learner: who, corrected } = await aCraftedFile();
    await importText(crafted, 'crafted.csv');
    assert.equal(await storedGrade(who.id, corrected.code, '2025 Fall'), 'A-');
    const entries = await correctionsOf(corrected.id);
    assert.equal(entries.length, 1);
    assert.deepEqual((entries[0]!.before as { grade: string }).grade, 'B');
    assert.deepEqual((entries[0]!.after as { grade: string }).grade, 'A-');
    assert.equal(entries[0]!.actor_label, 'test import');
  });

  test('importing the same file again changes nothing: every valid row is unchanged', async () => {
    const { csv: crafted, corrected } = await aCraftedFile();
    await importText(crafted, 'crafted.csv');
    const before = await importTableCounts(app);
    const result = await importText(crafted, 'crafted-again.csv');
    assert.deepEqual(
      {
        accepted: result.accepted,
        updated: result.updated,
        unchanged: result.unchanged,
        rejected: result.rejected,
      },
      { accepted: 0, updated: 0, unchanged: 3, rejected: 6 },
    );
    assert.ok(result.earlierImport, 'the report points to the earlier import of the same content');
    const after = await importTableCounts(app);
    assert.equal(after.completions, before.completions);
    assert.equal((await correctionsOf(corrected.id)).length, 1, 'no new correction was recorded');
  });

  test('two imports of the same file at once both finish: one adds the completions, the other finds them unchanged', async () => {
    const rows = 3000;
    const chunks: Buffer[] = [];
    // Terms no other test here uses; large enough that both imports are under way together.
    for await (const chunk of syntheticCompletionsCsv({ rows, studentIds, courseCodes, firstYear: 2003 })) {
      chunks.push(chunk);
    }
    const file = Buffer.concat(chunks);
    const before = await importTableCounts(app);
    const results = await Promise.all([importText(file, 'first.csv'), importText(file, 'second.csv')]);
    const outcomes = results
      .map((r) => ({ accepted: r.accepted, unchanged: r.unchanged, rejected: r.rejected }))
      .sort((a, b) => b.accepted - a.accepted);
    assert.deepEqual(outcomes, [
      { accepted: rows, unchanged: 0, rejected: 0 },
      { accepted: 0, unchanged: rows, rejected: 0 },
    ]);
    assert.equal((await importTableCounts(app)).completions, before.completions + rows);
  });

  test('files that are not readable CSV are refused whole, with a clear reason, and nothing is written', async () => {
    const header = 'student_id,course_code,term,grade,credits\n';
    const row = `${studentIds[0]},${courseCodes[0]},2027 Fall,B,3\n`;
    const bad: [string, Buffer | string, RegExp][] = [
      [
        'wrong columns',
        `student,course,term,grade\n${studentIds[0]},${courseCodes[0]},2025 Fall,A\n`,
        /missing the required columns student_id, course_code, credits/,
      ],
      [
        'invalid UTF-8',
        Buffer.concat([Buffer.from(header + row), Buffer.from([0xc3, 0x28, 0x0a])]),
        /not UTF-8 text .*line 3/,
      ],
      ['a PNG renamed .csv', PNG, /it is a PNG image, not a CSV file/],
      ['an empty file', '', /it is empty/],
      ['only a header', header, /header row but no completions/],
      ['semicolons', 'student_id;course_code;term;grade;credits\n', /not separated by commas/],
    ];
    const before = await importTableCounts(app);
    for (const [label, content, reason] of bad) {
      await assert.rejects(importText(content, `${label}.csv`), (error: unknown) => {
        assert.ok(error instanceof AppError, label);
        assert.equal(error.code, 'VALIDATION_FAILED', label);
        assert.match(error.publicMessage, reason, label);
        return true;
      });
    }
    assert.deepEqual(await importTableCounts(app), before);
  });

  test('a file that breaks after thousands of good rows leaves nothing half-written', async () => {
    const before = await importTableCounts(app);
    async function* goodThenBroken() {
      yield* syntheticCompletionsCsv({ rows: 2500, studentIds, courseCodes });
      yield Buffer.from(`${studentIds[0]},"an unclosed quote,2027 Fall,B,3\n`);
    }
    await assert.rejects(
      app.services.completionImports.importCompletions(system, goodThenBroken(), 'broken.csv', 'cli'),
      /could not be read as CSV \(Quote Not Closed/,
    );
    assert.deepEqual(await importTableCounts(app), before);
  });

  test('a row repeating one from an earlier batch of the same file is rejected as a duplicate', async () => {
    let firstRow = '';
    async function* withLateRepeat() {
      let index = 0;
      // Chunk 0 is the header; chunk 1 starts with the first data row (line 2), repeated at the very end.
      for await (const chunk of syntheticCompletionsCsv({
        rows: 1500,
        studentIds,
        courseCodes,
        // Past terms the 20,000-row file (1900 on) does not reach; a term years ahead would be refused.
        firstYear: 2000,
      })) {
        if (index++ === 1) firstRow = chunk.toString('utf8').split('\r\n')[0]!;
        yield chunk;
      }
      yield Buffer.from(`${firstRow}\r\n`);
    }
    const result = await app.services.completionImports.importCompletions(
      system,
      withLateRepeat(),
      'repeat.csv',
      'cli',
    );
    assert.equal(result.rowsTotal, 1501);
    assert.equal(result.rejected, 1);
    const [rejected] = await app.services.completionImports.reportRows(result.id, {
      outcome: 'rejected',
      limit: 5,
    });
    assert.equal(rejected!.rowNumber, 1502);
    assert.match(rejected!.reason!, /^duplicate: line 2 already gives/);
  });

  test('a repeat counts from the first line that was taken: a rejected earlier line does not make it a duplicate', async () => {
    const who = await aLearner(app, { account: false });
    const course = await aCourse(app);
    const row = (email: string) => `${who.studentId},${course.code},2025 Fall,A,${course.credits},${email}`;
    const result = await importText(
      [
        'student_id,course_code,term,grade,credits,email',
        row('someone.else@example.org'),
        row(who.email),
        row(who.email),
      ].join('\n'),
    );
    const report = await app.services.completionImports.reportRows(result.id, { limit: 10 });
    assert.deepEqual(
      report.map((r) => [r.rowNumber, r.outcome]),
      [
        [2, 'rejected'],
        [3, 'accepted'],
        [4, 'rejected'],
      ],
    );
    assert.match(report[0]!.reason!, /is not the e-mail on record/);
    assert.match(report[2]!.reason!, /^duplicate: line 3 already gives/);
  });

  test('values with backslashes, tabs and line breaks reach the report as written, with their line numbers', async () => {
    const student = studentIds[1]!;
    const course = courseCodes[1]!;
    const csv = [
      'student_id,course_code,term,grade,credits',
      `${student},${course},2001 Fall,"Q\\N",3`,
      `${student},${course},2001 Winter,"A\tB\\t",3`,
      `${student},${course},"2001\nSprung",B,3`,
      `${student},${course},2001 Summer,B,3`,
      `${student},${course},2002 Fall,"Z\rZ",3`,
    ].join('\r\n');
    const result = await importText(csv, 'escapes.csv');
    assert.deepEqual([result.rowsTotal, result.accepted, result.rejected], [5, 1, 4]);
    const rows = await app.services.completionImports.reportRows(result.id, { limit: 10 });
    const notOnScale = 'is not on the grade scale (A+ to F, P, NP, W, I)';
    assert.deepEqual(
      rows.slice(0, 4).map((r) => [r.rowNumber, r.outcome, r.reason]),
      [
        [2, 'rejected', `grade "Q\\N" ${notOnScale}`],
        [3, 'rejected', `grade "A\tB\\t" ${notOnScale}`],
        // A quoted value spanning lines is reported at the line where its row starts.
        [4, 'rejected', 'term "2001\nSprung" is not a year and season such as "2025 Fall"'],
        [6, 'accepted', null],
      ],
    );
    assert.equal(rows[2]!.term, '2001\nSprung');
    // A lone carriage return inside quotes is a line break, as in editors; the row still starts on line 7.
    assert.deepEqual([rows[4]!.rowNumber, rows[4]!.reason], [7, `grade "Z\rZ" ${notOnScale}`]);
  });

  /** A file naming `who` on lines 2, 4 and 5 (new, unknown course, repeat) and `other` on line 3 (new). */
  async function aFileOfTwo() {
    const [who, other] = [await aLearner(app, { account: false }), await aLearner(app, { account: false })];
    const course = await aCourse(app);
    const csv = [
      'Term,STUDENT_ID,course_code,Grade,credits,completed_on',
      `2026 Spring,${who.studentId},${course.code},A,${course.credits},`,
      `2026 Spring,${other.studentId},${course.code},B,${course.credits},`,
      `2026 Spring,${who.studentId},NOPE 999,A,3,`,
      `2026 Spring,${who.studentId},${course.code},A,${course.credits},`,
    ].join('\n');
    return { csv, who, other };
  }

  const touching = async (learnerId: string) =>
    (await app.services.completionImports.importsTouching(learnerId)).map((i) => ({
      id: i.id,
      outcomes: [i.accepted, i.updated, i.unchanged, i.rejected].map(Number),
    }));

  test("a learner's page lists the imports that named them, with that learner's outcomes only", async () => {
    const { csv, who, other } = await aFileOfTwo();
    const first = await importText(csv, 'two.csv');
    const again = await importText(csv, 'two-again.csv');
    assert.deepEqual(await touching(who.id), [
      { id: again.id, outcomes: [0, 0, 1, 2] },
      { id: first.id, outcomes: [1, 0, 0, 2] },
    ]);
    assert.deepEqual(await touching(other.id), [
      { id: again.id, outcomes: [0, 0, 1, 0] },
      { id: first.id, outcomes: [1, 0, 0, 0] },
    ]);
  });

  test('removing a learner forgets them on the report rows and the imports that named them, and no one else', async () => {
    const { csv, who, other } = await aFileOfTwo();
    const { id: importId } = await importText(csv, 'two.csv');
    await app.database.db.deleteFrom('learners').where('id', '=', who.id).execute();
    const rows = await app.services.completionImports.reportRows(importId, { limit: 10 });
    assert.deepEqual(
      rows.map((r) => [r.rowNumber, r.studentId, r.learnerId]),
      [
        [2, who.studentId, null],
        [3, other.studentId, other.id],
        [4, who.studentId, null],
        [5, who.studentId, null],
      ],
    );
    assert.deepEqual(await touching(who.id), []);
    assert.deepEqual(await touching(other.id), [{ id: importId, outcomes: [1, 0, 0, 0] }]);
    const stored = await app.database.db
      .selectFrom('completions')
      .select('id')
      .where('learner_id', '=', who.id)
      .execute();
    assert.deepEqual(stored, [], "the learner's completions go with them");
  });

  test("removing an import removes its report rows and its learners' summaries", async () => {
    const { csv, who } = await aFileOfTwo();
    const { id: importId } = await importText(csv, 'two.csv');
    await app.database.db.deleteFrom('completion_imports').where('id', '=', importId).execute();
    assert.deepEqual(await app.services.completionImports.reportRows(importId, { limit: 10 }), []);
    assert.deepEqual(await touching(who.id), []);
  });

  test('the learners an import added or corrected completions for are listed once each; a repeat lists none', async () => {
    const { csv: crafted, learner: who } = await aCraftedFile();
    // What stored progress is worked out again for (progress-store.service.ts reads the same query).
    const changed = async (importId: string) =>
      (await importedLearnerIds(app.database.db, importId).execute()).map((row) => row.learner_id);
    const first = await importText(crafted, 'crafted.csv');
    assert.deepEqual(
      await changed(first.id),
      [who.id],
      'one learner, though two of their rows changed something',
    );
    const again = await importText(crafted, 'crafted-again.csv');
    assert.deepEqual(await changed(again.id), [], 'nothing changed the second time');
  });

  test('completions keep their keys: one naming an unknown course or learner is refused by the database', async () => {
    const who = await aLearner(app, { account: false });
    const known = await aCourse(app);
    await assert.rejects(aCompletion(app, who, 'NOPE 000'), /not in the course list/);
    await assert.rejects(
      aCompletion(app, { id: '00000000-0000-4000-8000-000000000000' }, known.code),
      /learner who is not on record/,
    );
    await aCompletion(app, who, known.code);
  });

  test('a statement writing many rows is refused whole when one of its keys is unknown', async () => {
    const [who, other] = [await aLearner(app, { account: false }), await aLearner(app, { account: false })];
    const known = await aCourse(app);
    const completion = (learnerId: string, course: string, term: string) => ({
      id: newId(),
      learner_id: learnerId,
      course_code: course,
      term,
      grade: 'B',
      credits: 3,
      completed_on: '2025-12-12',
    });
    const unknownLearner = '00000000-0000-4000-8000-000000000000';
    const { id: importId } = await importText((await aCraftedFile()).csv, 'keys.csv');
    const before = await importTableCounts(app);
    // Several rows share the known keys, so a check counting rows rather than keys would be fooled.
    await assert.rejects(
      app.database.db
        .insertInto('completions')
        .values([
          completion(who.id, known.code, '2025 Fall'),
          completion(who.id, known.code, '2025 Winter'),
          completion(other.id, known.code, '2025 Fall'),
          completion(unknownLearner, known.code, '2025 Fall'),
        ])
        .execute(),
      /learner who is not on record/,
    );
    await assert.rejects(
      app.database.db
        .insertInto('completions')
        .values([
          completion(who.id, known.code, '2024 Fall'),
          completion(other.id, known.code, '2024 Fall'),
          completion(other.id, 'NOPE 000', '2024 Fall'),
        ])
        .execute(),
      /not in the course list/,
    );
    const reportRow = (rowNumber: number, learnerId: string | null, forImport = importId) => ({
      import_id: forImport,
      row_number: rowNumber,
      outcome: 'rejected' as const,
      reason: 'a row written by the test',
      learner_id: learnerId,
    });
    await assert.rejects(
      app.database.db
        .insertInto('completion_import_rows')
        .values([reportRow(1001, who.id), reportRow(1002, null), reportRow(1003, unknownLearner)])
        .execute(),
      /report row names a learner who is not on record/,
    );
    await assert.rejects(
      app.database.db
        .insertInto('completion_import_rows')
        .values([reportRow(1001, who.id), reportRow(1, who.id, unknownLearner)])
        .execute(),
      /report row names an import that does not exist/,
    );
    assert.deepEqual(await importTableCounts(app), before, 'no row of a refused statement stays');
    await app.database.db
      .insertInto('completion_import_rows')
      .values([reportRow(1001, who.id), reportRow(1002, null), reportRow(1003, other.id)])
      .execute();
  });

  test('the upload page imports a file and shows the report; the CSV report lists every row', async () => {
    const page = await registrar.get('/learners/imports');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /enctype="multipart\/form-data"/);

    const { csv: crafted, learner: who } = await aCraftedFile();
    const uploaded = await uploadCompletions(app, registrar, 'term-grades.csv', crafted);
    assert.equal(uploaded.statusCode, 303, uploaded.body);
    const reportUrl = String(uploaded.headers.location);
    const report = await registrar.get(reportUrl);
    assert.equal(report.statusCode, 200);
    assert.match(report.body, /term-grades\.csv/);
    assert.match(report.body, /Rejected rows \(6\)/);
    assert.match(report.body, /no learner has student ID &quot;C99999999&quot;/);

    const csv = await registrar.get(`${reportUrl}/report.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /attachment; filename="completions-import-/);
    const lines = csv.body.trim().split('\r\n');
    assert.equal(lines[0], 'line,outcome,reason,student_id,course_code,term,counts_from');
    assert.equal(lines.length, 10);
    assert.ok(lines[1]!.startsWith(`2,accepted,,${who.studentId},`), lines[1]);

    const learnerPage = await registrar.get(`/learners/${who.id}`);
    assert.match(learnerPage.body, /Imports that mention this learner/);
    assert.match(learnerPage.body, /term-grades\.csv/);
  });

  test('the upload page refuses a bad file on the page itself, and a form without its token', async () => {
    const { csv: crafted } = await aCraftedFile();
    const before = await importTableCounts(app);
    const png = await uploadCompletions(app, registrar, 'grades.csv', PNG);
    assert.equal(png.statusCode, 400);
    assert.match(png.body, /Nothing was imported/);
    assert.match(png.body, /it is a PNG image, not a CSV file/);
    const forged = await uploadCompletions(app, registrar, 'grades.csv', crafted, { csrf: false });
    assert.equal(forged.statusCode, 403);
    assert.deepEqual(await importTableCounts(app), before);

    assert.equal((await learner.get('/learners/imports')).statusCode, 403);
  });

  test('the API needs a session with an importing role and answers with a JSON report', async () => {
    const { csv: crafted } = await aCraftedFile();
    const anonymous = await postCompletionsApi(app, crafted);
    assert.equal(anonymous.statusCode, 401);
    assert.match(String(anonymous.headers['content-type']), /application\/problem\+json/);

    assert.equal((await postCompletionsApi(app, crafted, learner)).statusCode, 403);

    const response = await postCompletionsApi(app, crafted, registrar);
    assert.equal(response.statusCode, 201, response.body);
    const report = response.json();
    assert.equal(report.fileName, 'sis-extract.csv');
    assert.deepEqual(report.counts, {
      rows: 9,
      accepted: 1,
      updated: 1,
      unchanged: 1,
      rejected: 6,
      pendingTermEnd: 0,
    });
    assert.equal(report.rejectedRows.length, 6);
    assert.equal(report.rejectedRows[0].line, 5);
    assert.match(report.reportCsvUrl, /^\/learners\/imports\/[0-9a-f-]{36}\/report\.csv$/);

    const refused = await postCompletionsApi(app, PNG, registrar);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.json().title, /PNG image/);
  });

  test('a 20,000-row file streams through the API in batches', async (t) => {
    const before = await importTableCounts(app);
    const rows = 20_000;
    const { result, peakRssGrowthMb, peakHeapGrowthMb, ms } = await withPeakMemory(() =>
      postCompletionsApi(
        app,
        Readable.from(syntheticCompletionsCsv({ rows, studentIds, courseCodes })),
        registrar,
      ),
    );
    assert.equal(result.statusCode, 201, result.body);
    assert.deepEqual(result.json().counts, {
      rows,
      accepted: rows,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      pendingTermEnd: 0,
    });
    assert.equal((await importTableCounts(app)).completions, before.completions + rows);
    t.diagnostic(
      `${rows} rows in ${ms} ms; peak growth RSS ${peakRssGrowthMb} MB, JS heap ${peakHeapGrowthMb} MB`,
    );
  });
});
