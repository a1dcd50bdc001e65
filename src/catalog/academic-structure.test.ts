import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkCourse,
  checkDepartment,
  checkTerm,
  guessLevel,
  readActive,
  readCredits,
  readDay,
  readLevel,
  splitCourseCode,
} from './academic-structure.ts';
import { planHeader, readStructureFile, StructureFileRefusal } from './structure-import-file.ts';

describe('header mapping', () => {
  test('Banner course columns, with or without the SCBCRSE_ prefix, map to our fields', () => {
    const plain = planHeader('courses', [
      'SUBJ_CODE',
      'CRSE_NUMB',
      'CRSE_TITLE',
      'CREDIT_HR_LOW',
      'DEPT_CODE',
    ]);
    assert.deepEqual(Object.fromEntries(plain), {
      subject: 0,
      number: 1,
      title: 2,
      credits: 3,
      department: 4,
    });
    const prefixed = planHeader('courses', [
      'SCBCRSE_DEPT_CODE',
      'SCBCRSE_SUBJ_CODE',
      'SCBCRSE_CRSE_NUMB',
      'SCBCRSE_TITLE',
      'SCBCRSE_CREDIT_HR_LOW',
      'SCBCRSE_CSTA_CODE',
    ]);
    assert.deepEqual(Object.fromEntries(prefixed), {
      department: 0,
      subject: 1,
      number: 2,
      title: 3,
      credits: 4,
      active: 5,
    });
  });

  test('PeopleSoft course and term columns map to our fields', () => {
    const courses = planHeader('courses', [
      'CRSE_ID',
      'SUBJECT',
      'CATALOG_NBR',
      'DESCR',
      'UNITS_MINIMUM',
      'ACAD_ORG',
      'ACAD_CAREER',
      'EFF_STATUS',
    ]);
    assert.deepEqual(Object.fromEntries(courses), {
      subject: 1,
      number: 2,
      title: 3,
      credits: 4,
      department: 5,
      level: 6,
      active: 7,
    });
    const terms = planHeader('terms', ['STRM', 'DESCR', 'TERM_BEGIN_DT', 'TERM_END_DT']);
    assert.deepEqual(Object.fromEntries(terms), { code: 0, name: 1, startsOn: 2, endsOn: 3 });
  });

  test('a long title wins over the short description when a file has both', () => {
    const plan = planHeader('courses', [
      'SUBJECT',
      'CATALOG_NBR',
      'DESCR',
      'COURSE_TITLE_LONG',
      'UNITS_MINIMUM',
      'ACAD_ORG',
    ]);
    assert.equal(plan.get('title'), 3);
  });

  test('names are read in any letter case, with a byte-order mark, and unknown columns are ignored', () => {
    const plan = planHeader('departments', ['\uFEFFCode', 'Name', 'Budget']);
    assert.deepEqual(Object.fromEntries(plan), { code: 0, name: 1 });
  });

  test('a missing required column refuses the file, naming the columns that would do', () => {
    assert.throws(
      () => planHeader('terms', ['STVTERM_CODE', 'STVTERM_DESC', 'STVTERM_START_DATE']),
      (error: unknown) =>
        error instanceof StructureFileRefusal && /endsOn \(end_date or .*stvterm_end_date/.test(error.reason),
    );
  });

  test('a file separated by semicolons is refused with the reason', () => {
    assert.throws(
      () => planHeader('departments', ['code;name']),
      (error: unknown) =>
        error instanceof StructureFileRefusal && /not separated by commas/.test(error.reason),
    );
  });
});

describe('reading a file', () => {
  test('rows come out under our field names with their line numbers, blank lines skipped', () => {
    const rows = readStructureFile(
      'terms',
      'STVTERM_CODE,STVTERM_DESC,STVTERM_START_DATE,STVTERM_END_DATE\n202510,Fall 2025,25-AUG-2025,12-DEC-2025\n\n202520,"Spring, 2026",2026-01-12,2026-05-08\n',
    );
    assert.deepEqual(rows, [
      {
        line: 2,
        values: { code: '202510', name: 'Fall 2025', startsOn: '25-AUG-2025', endsOn: '12-DEC-2025' },
      },
      {
        line: 4,
        values: { code: '202520', name: 'Spring, 2026', startsOn: '2026-01-12', endsOn: '2026-05-08' },
      },
    ]);
  });

  test('an empty file, or a header alone, is refused', () => {
    assert.throws(() => readStructureFile('courses', ''), /empty/);
    assert.throws(() => readStructureFile('departments', 'code,name\n'), /no rows/);
  });

  test('a file that is not CSV is refused, not thrown as an unknown error', () => {
    assert.throws(
      () => readStructureFile('departments', 'code,name\n"unclosed,quote\n'),
      (error: unknown) =>
        error instanceof StructureFileRefusal && /could not be read as CSV/.test(error.reason),
    );
  });
});

describe('values as student systems write them', () => {
  test('credits: whole numbers, also with decimals of zero; nothing else', () => {
    assert.equal(readCredits('3'), 3);
    assert.equal(readCredits('3.000'), 3);
    assert.equal(readCredits(4), 4);
    for (const bad of ['1.5', '-1', '31', 'three', '', 3.5])
      assert.equal(readCredits(bad), undefined, String(bad));
  });

  test('levels and active flags in each system’s codes', () => {
    assert.equal(readLevel('UG'), 'undergraduate');
    assert.equal(readLevel('GRAD'), 'graduate');
    assert.equal(readLevel('graduate'), 'graduate');
    assert.equal(readLevel('LAW'), undefined);
    assert.equal(readActive('A'), true);
    assert.equal(readActive('I'), false);
    assert.equal(readActive(false), false);
    assert.equal(readActive('maybe'), undefined);
  });

  test('dates in ISO, US and Oracle forms; impossible days refused', () => {
    assert.equal(readDay('2025-08-25'), '2025-08-25');
    assert.equal(readDay('2025-08-25 00:00:00'), '2025-08-25');
    assert.equal(readDay('8/25/2025'), '2025-08-25');
    assert.equal(readDay('25-AUG-2025'), '2025-08-25');
    assert.equal(readDay('25-aug-25'), '2025-08-25');
    for (const bad of ['2025-02-30', '25-XYZ-2025', '2025/08/25', 'soon'])
      assert.equal(readDay(bad), undefined, bad);
  });

  test('course codes split into subject and number; a new course’s level is guessed from its number', () => {
    assert.deepEqual(splitCourseCode('comm  499'), { subject: 'COMM', number: '499' });
    assert.equal(splitCourseCode('COMM499'), null);
    assert.equal(guessLevel('499'), 'undergraduate');
    assert.equal(guessLevel('510'), 'graduate');
    assert.equal(guessLevel('5010'), 'graduate');
    assert.equal(guessLevel('101L'), 'undergraduate');
  });
});

describe('record checks name the field and the reason', () => {
  test('a department needs a code and a name; the head is an e-mail address or blank', () => {
    assert.deepEqual(checkDepartment({ code: ' comm ', name: 'Communication', head: '' }), {
      ok: true,
      value: { code: 'COMM', name: 'Communication', headEmail: null },
    });
    const bad = checkDepartment({ code: 'C O', name: '', head: 'not-an-address' });
    assert.equal(bad.ok, false);
    assert.deepEqual(bad.ok ? [] : bad.problems.map((p) => p.field), ['code', 'name', 'head']);
  });

  test('a term must end after it starts', () => {
    const backwards = checkTerm({
      code: '202510',
      name: 'Fall',
      startsOn: '2025-12-12',
      endsOn: '2025-08-25',
    });
    assert.deepEqual(backwards.ok ? [] : backwards.problems, [
      { field: 'endsOn', reason: 'must be after the first day of the term' },
    ]);
    const same = checkTerm({ code: '202510', name: 'Fall', startsOn: '2025-08-25', endsOn: '2025-08-25' });
    assert.equal(same.ok, false);
  });

  test('a course reports every problem at once', () => {
    const bad = checkCourse({
      subject: '12',
      number: '',
      title: '',
      credits: '1.5',
      department: '',
      level: 'PhD',
      active: 'maybe',
    });
    assert.deepEqual(bad.ok ? [] : bad.problems.map((p) => p.field), [
      'subject',
      'number',
      'title',
      'credits',
      'department',
      'level',
      'active',
    ]);
    const good = checkCourse({
      subject: 'comm',
      number: '330',
      title: 'Podcasting',
      credits: '3.000',
      department: 'comm',
    });
    assert.deepEqual(good, {
      ok: true,
      value: {
        subject: 'COMM',
        number: '330',
        title: 'Podcasting',
        credits: 3,
        departmentCode: 'COMM',
        level: null,
        isActive: null,
      },
    });
  });
});
