import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { csvField as csvCell, csvLine } from '../platform/csv.ts';
import { latestTermEnd, parseTerm, termCalendar } from './academic-term.ts';
import { HeaderProblem, readCompletionRow, readHeader } from './completion-row.ts';

describe('academic terms', () => {
  test('read in either order and any case, and end on the term’s last day', () => {
    assert.deepEqual(parseTerm('2025 Fall'), {
      label: '2025 Fall',
      endsOn: '2025-12-12',
    });
    assert.equal(parseTerm('winter 2026')?.endsOn, '2026-03-20');
    assert.equal(parseTerm(' 2026   SPRING ')?.label, '2026 Spring');
    assert.equal(parseTerm('2026 Summer')?.endsOn, '2026-08-21');
  });

  test('a file may give terms up to the end of the academic year after the current one', () => {
    assert.equal(latestTermEnd('2026-11-25', 9), '2028-08-31');
    assert.equal(latestTermEnd('2026-08-31', 9), '2027-08-31', 'the last day of an academic year');
    assert.equal(latestTermEnd('2026-11-25', 1), '2027-12-31');
    assert.equal(latestTermEnd('2027-01-15', 7), '2028-06-30');
  });

  test('a term ending after that limit is refused, naming the field and the limit', () => {
    const header = readHeader(['student_id', 'course_code', 'term', 'grade', 'credits']);
    const far = readCompletionRow(['S1', 'MATH 101', '2035 Fall', 'A', '3'], header, {
      terms: termCalendar([]),
      latestTermEnd: '2028-08-31',
    });
    assert.equal(far.ok, false);
    assert.match(far.ok ? '' : far.reason, /^term "2035 Fall" is more than one academic year ahead/);
    const near = readCompletionRow(['S1', 'MATH 101', '2028 Summer', 'A', '3'], header, {
      terms: termCalendar([]),
      latestTermEnd: '2028-08-31',
    });
    assert.equal(near.ok, true);
  });

  test('anything else is not a term', () => {
    for (const text of ['', '2025', 'Fall', '2025 Autumn', '25 Fall', '2025 Fall extra', '1850 Fall']) {
      assert.equal(parseTerm(text), null, text);
    }
  });
});

describe('the institution’s own terms', () => {
  const registered = [
    { code: '202609', name: 'Fall 2026', endsOn: '2026-12-18' },
    { code: '202701', name: 'Winter Intersession', endsOn: '2027-01-22' },
  ];
  const terms = termCalendar(registered);

  test('a term is found by its code or its name, in any case and spacing, and ends when the registrar says', () => {
    for (const text of ['202609', 'fall 2026', ' Fall   2026 ', '2026 FALL']) {
      assert.deepEqual(terms.read(text), { label: 'Fall 2026', endsOn: '2026-12-18' }, text);
    }
    assert.deepEqual(terms.read('winter intersession'), {
      label: 'Winter Intersession',
      endsOn: '2027-01-22',
    });
  });

  test('a code wins over another term’s name that reads the same', () => {
    const calendar = termCalendar([
      { code: 'SPRING2027', name: 'Spring 2027', endsOn: '2027-05-07' },
      { code: 'X1', name: 'spring2027', endsOn: '2027-06-01' },
    ]);
    assert.equal(calendar.read('Spring2027')?.endsOn, '2027-05-07');
  });

  test('a term not on the page is not a term, even a year and a season, and the message shows one that is', () => {
    for (const text of ['2026 Spring', '202610', 'Fall', '']) assert.equal(terms.read(text), null, text);
    const header = readHeader(['student_id', 'course_code', 'term', 'grade', 'credits']);
    const row = readCompletionRow(['S1', 'MATH 101', '2026 Spring', 'A', '3'], header, { terms });
    assert.equal(row.ok, false);
    assert.equal(
      row.ok ? '' : row.reason,
      'term "2026 Spring" is not a term on the Terms page, by its code or its name (such as "202701" or "Winter Intersession")',
    );
  });

  test('a row gets the term’s name and, with no completion date, the term’s last day', () => {
    const header = readHeader(['student_id', 'course_code', 'term', 'grade', 'credits']);
    const row = readCompletionRow(['S1', 'MATH 101', '202609', 'A', '3'], header, { terms });
    assert.ok(row.ok);
    assert.equal(row.row.term, 'Fall 2026');
    assert.equal(row.row.completedOn, '2026-12-18');
    assert.equal(row.identity.term, 'Fall 2026');
  });

  test('with no terms on the page, a term is a year and a season', () => {
    const seasonal = termCalendar([]);
    assert.deepEqual(seasonal.read('fall 2026'), { label: '2026 Fall', endsOn: '2026-12-12' });
    assert.equal(seasonal.read('202609'), null);
    assert.match(seasonal.expected, /year and season/);
  });
});

describe('the header row', () => {
  test('accepts the columns in any order and letter case', () => {
    const header = readHeader(['Grade', ' TERM ', 'credits', 'Student_ID', 'course_code', 'completed_on']);
    assert.equal(header.get('grade'), 0);
    assert.equal(header.get('student_id'), 3);
    assert.equal(header.width, 6);
  });

  test('names the missing required columns', () => {
    assert.throws(
      () => readHeader(['student_id', 'course_code', 'term']),
      (e: unknown) =>
        e instanceof HeaderProblem && /missing the required columns grade, credits/.test(e.reason),
    );
  });

  test('refuses unknown and repeated columns rather than ignoring them', () => {
    assert.throws(
      () => readHeader(['student_id', 'course_code', 'term', 'grade', 'credits', 'completed']),
      /does not know: "completed"/,
    );
    assert.throws(
      () => readHeader(['student_id', 'course_code', 'term', 'grade', 'credits', 'grade']),
      /appears twice/,
    );
  });

  test('recognises a semicolon-separated file', () => {
    assert.throws(() => readHeader(['student_id;course_code;term;grade;credits']), /not separated by commas/);
  });
});

describe('a data row', () => {
  const header = readHeader([
    'student_id',
    'course_code',
    'term',
    'grade',
    'credits',
    'completed_on',
    'email',
    'source',
  ]);
  const row = (values: Partial<Record<string, string>>) =>
    readCompletionRow(
      [
        values.student_id ?? 'C001',
        values.course_code ?? 'comm  330',
        values.term ?? 'fall 2025',
        values.grade ?? 'b+',
        values.credits ?? '3',
        values.completed_on ?? '',
        values.email ?? '',
        values.source ?? '',
      ],
      header,
    );

  test('a good row comes back in canonical spelling with defaults filled in', () => {
    const reading = row({});
    assert.ok(reading.ok);
    assert.deepEqual(reading.row, {
      studentId: 'C001',
      courseCode: 'COMM 330',
      term: '2025 Fall',
      grade: 'B+',
      credits: 3,
      completedOn: '2025-12-12',
      email: null,
      source: 'sis',
    });
  });

  test('each kind of bad value is named in the reason', () => {
    const cases: [Partial<Record<string, string>>, RegExp][] = [
      [{ student_id: '' }, /student_id is empty/],
      [{ grade: 'Q' }, /grade "Q" is not on the grade scale/],
      [{ credits: 'three' }, /credits "three" is not a whole number from 0 to 30/],
      [{ credits: '31' }, /credits "31"/],
      [{ credits: '-1' }, /credits "-1"/],
      [{ credits: '2.5' }, /credits "2.5"/],
      [{ term: '2025 Autumn' }, /term "2025 Autumn" is not a year and season/],
      [{ completed_on: '2025-02-30' }, /completed_on "2025-02-30" is not a date/],
      [{ completed_on: '12/12/2025' }, /completed_on "12\/12\/2025"/],
      [{ email: 'nobody' }, /email "nobody" is not an e-mail address/],
    ];
    for (const [values, reason] of cases) {
      const reading = row(values);
      assert.equal(reading.ok, false, JSON.stringify(values));
      if (!reading.ok) assert.match(reading.reason, reason);
    }
  });

  test('several problems are reported together, and the row is still identified', () => {
    const reading = row({ grade: 'Z', credits: '99' });
    assert.equal(reading.ok, false);
    if (reading.ok) return;
    assert.match(reading.reason, /grade "Z".*; credits "99"/);
    assert.deepEqual(reading.identity, { studentId: 'C001', course: 'COMM 330', term: '2025 Fall' });
  });

  test('a row with the wrong number of values is refused', () => {
    const reading = readCompletionRow(['C001', 'COMM 330'], header);
    assert.equal(reading.ok, false);
    if (!reading.ok) assert.match(reading.reason, /has 2 values where the header has 8 columns/);
  });

  test('an explicit completion date and source are kept', () => {
    const reading = row({ completed_on: '2025-12-01', source: 'banner' });
    assert.ok(reading.ok);
    assert.equal(reading.row.completedOn, '2025-12-01');
    assert.equal(reading.row.source, 'banner');
  });
});

describe('report CSV', () => {
  test('quotes what needs quoting and defuses spreadsheet formulas', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a, b'), '"a, b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell('@SUM'), "'@SUM");
    assert.equal(csvCell(null), '');
    assert.equal(csvLine([1, 'x', null]), '1,x,\r\n');
  });
});
