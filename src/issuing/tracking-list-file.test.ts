import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { termCalendar } from '../learners/academic-term.ts';
import {
  type ListLine,
  type ListRefusal,
  ListShape,
  optionalColumns,
  readListHeader,
  readListLine,
  requiredColumns,
  trackingListTemplate,
} from './tracking-list-file.ts';

const columns = [...requiredColumns, ...optionalColumns];
const header = readListHeader(columns);
const line = (values: Partial<Record<(typeof columns)[number], string>>, today = '2026-11-25') =>
  readListLine(
    columns.map((c) => values[c] ?? ''),
    header,
    7,
    today,
    termCalendar([]),
  );
const complete = {
  student_id: 'c00012345',
  email: 'jordan@example.edu',
  first_name: 'Jordan',
  last_name: 'Ellis',
  program: 'Project-Management',
  completion_date: '2026-05-15',
  term: 'spring 2026',
};

describe('reading a tracking list', () => {
  test('the header may come in any order and letter case', () => {
    const shuffled = readListHeader([
      'TERM',
      ' Email ',
      ...requiredColumns.filter((c) => c !== 'term' && c !== 'email'),
    ]);
    assert.equal(shuffled.get('term'), 0);
    assert.equal(shuffled.get('email'), 1);
  });

  test('a header without a required column, or with an unknown one, is refused with the names', () => {
    assert.throws(
      () => readListHeader(['student_id', 'email']),
      (e: ListRefusal) => /lacks first_name, last_name, program, completion_date, term/.test(e.reason),
    );
    assert.throws(
      () => readListHeader([...requiredColumns, 'fee_waved']),
      (e: ListRefusal) => /does not have: "fee_waved"/.test(e.reason),
    );
    assert.throws(() => readListHeader([...requiredColumns, 'term']), /appears twice/);
    assert.throws(() => readListHeader(['student_id;email;first_name']), /not separated by commas/);
  });

  test('a complete line reads into canonical values', () => {
    const read = line({ ...complete, fee_waived: 'Yes', credit_mode: 'Non-Credit', notes: 'Scholarship' });
    assert.deepEqual(read.problems, []);
    assert.equal(read.studentId, 'C00012345');
    assert.equal(read.programSlug, 'project-management');
    assert.equal(read.term, '2026 Spring');
    assert.equal(read.completionDate, '2026-05-15');
    assert.equal(read.creditMode, 'non_credit');
    assert.equal(read.feeWaived, true);
    assert.equal(read.line, 7);
  });

  test('each problem of a line is named', () => {
    const read = line({
      ...complete,
      email: 'not-an-address',
      completion_date: '2026-02-30',
      term: 'Autumn',
      credit_mode: 'maybe',
      fee_waived: 'perhaps',
      last_name: '',
    });
    assert.deepEqual(read.problems, [
      'last_name is empty',
      'email "not-an-address" is not an e-mail address',
      'completion_date "2026-02-30" is not a date written YYYY-MM-DD',
      'term "Autumn" is not a year and season such as "2025 Fall"',
      'credit_mode "maybe" must be credit or non_credit',
      'fee_waived "perhaps" must be yes or no',
    ]);
    assert.deepEqual(line({ ...complete, completion_date: '2026-11-26' }).problems, [
      'completion_date 2026-11-26 is in the future',
    ]);
  });

  /** The shape of a file whose lines resolve to `modes` (and carry `lines`' cohorts and terms). */
  const shapeOf = (modes: ('credit' | 'non_credit' | null)[], lines: ListLine[] = []) => {
    const shape = new ListShape();
    for (const [at, mode] of modes.entries()) shape.add({ line: at + 2, cohort: '', term: '' }, mode);
    for (const read of lines) shape.add(read, null);
    return shape;
  };

  test('one credit mode per list: both together are refused with the lines', () => {
    assert.equal(shapeOf([]).listMode(), null);
    assert.equal(shapeOf([null, 'credit']).listMode(), 'credit');
    const mixed = shapeOf(['credit', 'non_credit', 'non_credit']);
    assert.equal(mixed.isRefused, true);
    assert.throws(
      () => mixed.listMode(),
      (e: ListRefusal) => /credit-bearing rows \(line 2\) with non-credit rows \(lines 3, 4\)/.test(e.reason),
    );
  });

  test('a long mixed file names the first five lines of each mode and says there are more', () => {
    const shape = shapeOf([...Array(7).fill('credit'), ...Array(5).fill('non_credit')]);
    assert.throws(
      () => shape.listMode(),
      (e: ListRefusal) =>
        e.reason.includes(
          'credit-bearing rows (lines 2, 3, 4, 5, 6 and more) with non-credit rows (lines 9, 10, 11, 12, 13)',
        ),
    );
  });

  test('one cohort per list; without a cohort column the terms name it', () => {
    const a = line({ ...complete, cohort: 'Spring A' });
    const b = line({ ...complete, cohort: 'Spring B' });
    assert.equal(shapeOf([], [a]).isRefused, false);
    assert.throws(() => shapeOf([], [a, b]).cohort(), /more than one cohort \("Spring A", "Spring B"\)/);
    assert.equal(shapeOf([], [a, line(complete)]).cohort(), 'Spring A');
    assert.equal(
      shapeOf([], [line(complete), line({ ...complete, term: '2025 Fall' }), line(complete)]).cohort(),
      '2025 Fall, 2026 Spring',
    );
  });

  test('a cohort named by many terms is their sorted list cut at 200 characters, as if all were kept', () => {
    // Terms in a scrambled order, more than the shape keeps; the name must be the one every term sorted gives.
    const terms = Array.from({ length: 500 }, (_, i) => `T${String((i * 7919) % 500).padStart(3, '0')}`);
    const shape = new ListShape();
    for (const [at, term] of terms.entries()) shape.add({ line: at + 2, cohort: '', term }, null);
    assert.equal(shape.cohort(), [...new Set(terms)].sort().join(', ').slice(0, 200));
    // One-character terms fill the name with the most terms: the last of those kept must still show.
    const letters = [
      ...'zyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQPONMLKJIHGFEDCBA9876543210!#$%&()*+-./:;<=>?@[]^_{|}~',
    ];
    const short = new ListShape();
    for (const [at, term] of letters.entries()) short.add({ line: at + 2, cohort: '', term }, null);
    assert.equal(short.cohort(), [...letters].sort().join(', ').slice(0, 200));
    assert.equal(short.cohort().length, 200);
  });

  test('the template reads back as a valid header and line', () => {
    const [head, example] = trackingListTemplate().trim().split('\r\n');
    const parsed = readListHeader(head!.split(','));
    assert.deepEqual(
      readListLine(example!.split(','), parsed, 2, '2026-11-25', termCalendar([])).problems,
      [],
    );
  });
});
