// An upload longer than one part (UPLOAD_PART_SIZE lines are read, judged and stored at a time): the verdicts,
// repeats and line numbers must be those of the whole file, and a refusal found in the last part must leave
// nothing of the parts stored before it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Cohort, prepareCohort } from '../../test/support/cohort-fixture.ts';
import { counts, sessions, staff, textOf, uploadList } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { MAX_LIST_BYTES, UPLOAD_PART_SIZE } from './tracking-lists.service.ts';

// Two whole parts and a shorter last one, as most long files end: every problem below sits on a boundary between
// parts or in the last part, which is two parts after the first, so a repeat there of a line of the first is found
// only if every part's keys are kept (not just the part before's). More parts would only be more of the same rows.
const ROWS = 2 * UPLOAD_PART_SIZE + 1000;

describe(`a tracking list of ${ROWS} rows uploaded in parts on ${testBackend}`, () => {
  let app: TestApp;
  let cohort: Cohort;
  /** The cohort's data lines, as prepared: learner `i` is `data[i]`. */
  let data: string[];
  let header: string;

  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });
    cohort = await prepareCohort(app, ROWS, 'up');
    [header, ...data] = cohort.csv.trimEnd().split('\n') as [string, ...string[]];
    assert.equal(data.length, ROWS);
    assert.ok(ROWS > 2 * UPLOAD_PART_SIZE + 1, 'the file spans three parts');
  });
  after(() => app.close());

  /** A data line with some of its fields replaced (the fixture's values hold no commas or quotes). */
  const edited = (line: string, fields: Partial<Record<'email' | 'completion_date' | 'cohort', string>>) => {
    const cells = line.split(',');
    if (fields.email) cells[1] = fields.email;
    if (fields.completion_date) cells[5] = fields.completion_date;
    if (fields.cohort) cells[8] = fields.cohort;
    return cells.join(',');
  };

  /**
   * The file: the cohort, with a blank line after the third learner (so file lines are not data positions), and
   * repeats and errors placed on both sides of part boundaries. Data line `d` sits on file line `d + 2`, plus one
   * from the fourth learner on.
   */
  const fileLine = (d: number) => d + 2 + (d >= 3 ? 1 : 0);
  const aFile = (lines: string[]) => [header, ...lines.slice(0, 3), '', ...lines.slice(3)].join('\n');
  const withProblems = () => {
    const lines = [...data];
    const lastOfFirstPart = UPLOAD_PART_SIZE - 1;
    // The first line of the second part repeats the last line of the first.
    lines[UPLOAD_PART_SIZE] = data[lastOfFirstPart]!;
    // The last line of the second part cannot be read; the first of the third has someone else's e-mail.
    lines[2 * UPLOAD_PART_SIZE - 1] = edited(data[2 * UPLOAD_PART_SIZE - 1]!, {
      completion_date: '2026-13-01',
    });
    lines[2 * UPLOAD_PART_SIZE] = edited(data[2 * UPLOAD_PART_SIZE]!, { email: 'someone@else.example' });
    // In the third part, after the line above, a repeat of a line of the first.
    lines[2 * UPLOAD_PART_SIZE + 1] = data[3]!;
    return lines;
  };

  test('every row gets the verdict and the line number it would get in one piece', async () => {
    const lists = app.services.trackingLists;
    const listId = await lists.uploadList(cohort.office, Buffer.from(aFile(withProblems())), 'large.csv');

    const { list } = await lists.viewList(cohort.office, listId);
    assert.equal(list.rowsTotal, ROWS);
    assert.equal(list.cohort, 'Fall 2026 up');
    assert.equal(list.office, 'credentials_office');
    assert.deepEqual(
      { ready: list.counts.ready, error: list.counts.error, not_eligible: list.counts.not_eligible },
      { ready: ROWS - 4, error: 4, not_eligible: 0 },
    );

    const rows = await app.database.db
      .selectFrom('tracking_list_rows')
      .select(['line', 'status', 'reason'])
      .where('list_id', '=', listId)
      .orderBy('line')
      .execute();
    assert.equal(rows.length, ROWS);
    assert.deepEqual(
      rows.map((r) => r.line),
      data.map((_, d) => fileLine(d)),
      'each row keeps its line in the file, the blank line counted',
    );
    const errors = rows.filter((r) => r.status === 'error').map((r) => [r.line, r.reason]);
    assert.deepEqual(errors, [
      [
        fileLine(UPLOAD_PART_SIZE),
        `Repeats line ${fileLine(UPLOAD_PART_SIZE - 1)} (same student and program).`,
      ],
      [
        fileLine(2 * UPLOAD_PART_SIZE - 1),
        'Cannot be read: completion_date "2026-13-01" is not a date written YYYY-MM-DD.',
      ],
      [
        fileLine(2 * UPLOAD_PART_SIZE),
        `The e-mail someone@else.example is not the one on record for student ID ${data[2 * UPLOAD_PART_SIZE]!.split(',')[0]}.`,
      ],
      [fileLine(2 * UPLOAD_PART_SIZE + 1), `Repeats line ${fileLine(3)} (same student and program).`],
    ]);
  });

  test('a second cohort on the last line refuses the whole file, and the parts read before it are not kept', async () => {
    const before = await counts(app);
    const rowsBefore = await app.database.db
      .selectFrom('tracking_list_rows')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    // Two whole parts are stored before the one holding the other cohort: the rest of the cohort would only be
    // more parts stored and rolled back the same way (the test above reads them all).
    const lines = data.slice(0, 2 * UPLOAD_PART_SIZE + 1);
    const last = lines.length - 1;
    lines[last] = edited(lines[last]!, { cohort: 'Another cohort' });
    await assert.rejects(
      app.services.trackingLists.uploadList(cohort.office, Buffer.from(aFile(lines)), 'two-cohorts.csv'),
      (error: Error & { publicMessage?: string }) =>
        /The list was not uploaded: it holds more than one cohort \("Fall 2026 up", "Another cohort"\)/.test(
          error.publicMessage ?? '',
        ),
    );
    assert.deepEqual(await counts(app), before);
    const rowsAfter = await app.database.db
      .selectFrom('tracking_list_rows')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(rowsAfter.n), Number(rowsBefore.n));
  });

  test('a file past the size limit, sent through the form, is refused as it streams in, and nothing is kept', async () => {
    const before = await counts(app);
    const office = await sessions(() => app)(staff.credentials);
    let content = header;
    while (content.length <= MAX_LIST_BYTES) content += `\n${data.slice(0, 5000).join('\n')}`;
    const response = await uploadList(app, office, 'too-large.csv', content);
    assert.equal(response.statusCode, 413);
    assert.match(textOf(response.body), /The list was not uploaded: it is larger than 16 MB/);
    assert.deepEqual(await counts(app), before);
  });
});
