import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readLearnerInput, repeatsWithin } from './learner-record-input.ts';

const good = {
  studentId: 'C0042137',
  givenName: ' Ngozi ',
  familyName: 'Adeyemi-Hart',
  email: ' N.Adeyemi@Students.Example.edu ',
  status: 'current',
};

test('a good record is read with trimmed names, the shown name made from them and the e-mail in its one form', () => {
  const reading = readLearnerInput(good);
  assert.ok(reading.ok);
  assert.deepEqual(reading.learner, {
    studentId: 'C0042137',
    givenName: 'Ngozi',
    familyName: 'Adeyemi-Hart',
    name: 'Ngozi Adeyemi-Hart',
    email: 'n.adeyemi@students.example.edu',
    status: 'current',
  });
});

test('a person with one name needs no family name', () => {
  const reading = readLearnerInput({ ...good, familyName: null });
  assert.ok(reading.ok);
  assert.equal(reading.learner.name, 'Ngozi');
  assert.equal(reading.learner.familyName, null);
});

test('every problem is reported at once, each naming its field', () => {
  const reading = readLearnerInput({ studentId: 'C 1', givenName: '', email: 'nobody', status: 'alumnus' });
  assert.equal(reading.ok, false);
  assert.deepEqual(!reading.ok && reading.problems.map((p) => p.field), [
    'studentId',
    'givenName',
    'email',
    'status',
  ]);
  const empty = readLearnerInput({});
  assert.deepEqual(!empty.ok && empty.problems.map((p) => `${p.field} ${p.reason}`), [
    'studentId is required',
    'givenName is required',
    'email is required',
    'status is required',
  ]);
});

test('values of the wrong type are refused, not coerced', () => {
  const reading = readLearnerInput({ ...good, studentId: 42137, givenName: ['Ngozi'], status: 1 });
  assert.equal(reading.ok, false);
  assert.deepEqual(!reading.ok && reading.problems.map((p) => p.field), ['studentId', 'givenName', 'status']);
});

test('a batch names each repeated student ID (letter case aside) or e-mail at its own index', () => {
  const a = readLearnerInput(good);
  const b = readLearnerInput({ ...good, studentId: 'c0042137', email: 'other@students.example.edu' });
  const c = readLearnerInput({ ...good, studentId: 'C0099999' });
  assert.ok(a.ok && b.ok && c.ok);
  const problems = repeatsWithin([
    { index: 0, learner: a.learner },
    { index: 3, learner: b.learner },
    { index: 5, learner: c.learner },
  ]);
  assert.deepEqual(problems, [
    { index: 3, field: 'studentId', reason: 'repeats the student ID of item 0' },
    { index: 5, field: 'email', reason: 'repeats the e-mail of item 0' },
  ]);
});
