import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import {
  aLearner,
  anEnrolment,
  anInstitution,
  aStaffMember,
  type BuiltLearner,
  type BuiltProgram,
  type Person,
} from '../../test/support/builders.ts';
import { aPilotWithEnrolments } from '../../test/support/pilots.ts';
import { assertRefused } from '../../test/support/programs.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { cellText } from '../platform/figure-tables.ts';
import type { ReviewPage } from './program-reviews.service.ts';

const answers = {
  highlights: 'Two cohorts started.',
  challenges: 'Lab space.',
  learner_feedback: '',
  changes_planned: 'An evening section.',
};

/** Each chart's bars, series by series, and the numbers of the table with the same categories. */
function chartsAgainstTables(sheet: NonNullable<ReviewPage['programFigures']>) {
  return sheet.charts.map((chart) => {
    const table = sheet.tables.find(
      (t) =>
        t.rows.length === chart.categories.length &&
        t.rows.every((r, i) => cellText(r[0]!, String) === chart.categories[i]),
    );
    assert.ok(table, `a table beside “${chart.title}”`);
    const columns = chart.series.map((_, s) =>
      table.rows.map((row) => Number(cellText(row[s + 1]!, String))),
    );
    return { chart: chart.series.map((s) => [...s.values]), table: columns };
  });
}

describe(`a program review pre-filled with the program's figures and frozen on submit, on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;
  let otherLead: Person;
  let pilot: BuiltProgram;
  let early: BuiltLearner;
  // 2026-10-06: year 1 of a pilot started 2025-09-01 ran to 2026-08-31 and is reviewable.
  const clock = fixedClock('2026-10-06T12:00:00Z');

  before(async () => {
    app = await startTestApp({ runJobs: false, clock });
    await anInstitution(app);
    lead = await aStaffMember(app, 'program_lead');
    otherLead = await aStaffMember(app, 'program_lead');
    const built = await aPilotWithEnrolments(app, {
      title: 'Field Ecology',
      lead,
      enrolments: [
        { path: 'new', enrolledOn: '2025-10-01' },
        { path: 'returning', enrolledOn: '2026-01-15' },
        // Enrolled before the pilot year: not counted in it.
        { enrolledOn: '2025-08-01' },
      ],
    });
    pilot = built.pilot;
    early = built.learners[0]!;
  });
  after(() => app.close());

  const reviews = () => app.services.reviews;

  test('the form shows the year’s figures and charts, and each chart’s numbers are its table’s', async () => {
    const page = await reviews().reviewPage(lead, 'pilot_review', pilot.id, 1);
    assert.equal(page.figures?.newEnrolments, 2);
    const sheet = page.programFigures;
    assert.ok(sheet);
    const outcomes = sheet.tables.find((t) => t.caption === 'Outcomes')!;
    assert.equal(cellText(outcomes.rows[0]![1]!, String), '2', 'the two learners who enrolled that year');
    assert.equal(sheet.svgs.length, sheet.charts.length);
    assert.ok(sheet.charts.length >= 2, 'terms and paths at least');
    for (const { chart, table } of chartsAgainstTables(sheet)) assert.deepEqual(chart, table);
  });

  test('a submitted review keeps its figures after a completions import changes the records', async () => {
    await reviews().saveReview(lead, 'pilot_review', pilot.id, 1, answers, true);
    const submitted = await reviews().reviewPage(lead, 'pilot_review', pilot.id, 1);
    assert.ok(submitted.submittedAt);

    const csv = [
      'student_id,course_code,term,grade,credits,completed_on',
      ...pilot.courses.map((code) => `${early.studentId},${code},2026 Spring,A,3,2026-03-01`),
    ].join('\n');
    const result = await app.services.completionImports.importCompletions(
      { system: 'test import' },
      Readable.from([Buffer.from(csv)]),
      'spring.csv',
      'cli',
    );
    assert.equal(result.accepted, 2);
    await anEnrolment(app, await aLearner(app, { account: false }), pilot, { enrolledOn: '2026-02-01' });

    // The data moved: the year's figures read today differ from those the review kept.
    const live = await app.services.insight.periodSheet(pilot.id, { from: '2025-09-01', to: '2026-08-31' });
    assert.notDeepEqual(live.tables, submitted.programFigures?.tables);

    const later = await reviews().reviewPage(lead, 'pilot_review', pilot.id, 1);
    assert.deepEqual(later.figures, submitted.figures);
    assert.equal(later.figures?.courseCompletions, 0);
    // The kept tables and charts' data; the charts are drawn again from them (their SVG ids differ each time).
    const kept = ({ programFigures }: ReviewPage) => ({ ...programFigures, svgs: undefined });
    assert.deepEqual(kept(later), kept(submitted));
  });

  test('the printable version is for a submitted review, read by whoever may read the review', async () => {
    const browser = await lead.signIn();
    const print = await browser.get(`/programs/${pilot.id}/reviews/1/print`);
    assert.equal(print.statusCode, 200);
    assert.match(print.body, /Year 1 pilot review: Field Ecology/);
    assert.doesNotMatch(print.body, /<nav/, 'no site navigation on paper');
    assert.match(print.body, /<svg role="img"/);
    const other = await otherLead.signIn();
    assert.equal((await other.get(`/programs/${pilot.id}/reviews/1/print`)).statusCode, 403);
    assert.equal((await browser.get(`/programs/${pilot.id}/reviews/2/print`)).statusCode, 404);
    await assertRefused(reviews().reviewPage(otherLead, 'pilot_review', pilot.id, 1), 'FORBIDDEN');
  });
});
