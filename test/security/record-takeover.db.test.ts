/**
 * Audit point 5: naming someone else's student ID in a self-service form must not hand over their record.
 * A record is linked to an account only when a second fact from the student system agrees (the e-mail on
 * record is the account's) or staff have verified the person with the record shown beside the request; an ID
 * already tied to an account is never linked again; and a record made from a self-declared ID does not capture
 * the registrar's later completions for that ID.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { newId } from '../../src/platform/ids.ts';
import type { BrowserSession } from '../support/browser-session.ts';
import { textOf } from '../support/issuing.ts';
import { newPerson } from '../support/learners.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

const RETURNING = 'cinema-production-technology';
const NON_DEGREE = 'broadcast-news-production';
const COURSE = 'MATH 243';

describe(`no record takeover through a student ID on ${testBackend}`, () => {
  let app: TestApp;
  let staff: BrowserSession;
  const db = () => app.database.db;

  /** A student ID no other test in this file uses. */
  const freshStudentId = () => `C7${randomBytes(4).readUInt32BE(0).toString().padStart(10, '0').slice(0, 7)}`;

  /** A learner record as the student system knows it (no account yet), with one completed course. */
  const recordOnFile = async (name: string) => {
    const id = newId();
    const studentId = freshStudentId();
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomBytes(3).toString('hex')}@students.example`;
    await db()
      .insertInto('learners')
      .values({ id, user_id: null, email, name, student_id: studentId, status: 'current' })
      .execute();
    await db()
      .insertInto('completions')
      .values({
        id: newId(),
        learner_id: id,
        course_code: COURSE,
        term: '2020 Fall',
        grade: 'A',
        credits: 4,
        completed_on: '2020-12-15',
        source: 'sis',
      })
      .execute();
    return { id, studentId, email, name };
  };
  const learnerRow = (id: string) =>
    db().selectFrom('learners').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const requestOf = (userId: string) =>
    db()
      .selectFrom('reactivation_requests')
      .select(['id', 'status'])
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
  const askToReturn = (browser: BrowserSession, name: string, studentId: string) =>
    browser.postForm(`/enrol/${RETURNING}`, {
      path: 'returning',
      name,
      studentId,
      lastTerm: '2020 Fall',
      reason: 'I would like to finish what I started.',
    });
  const importRows = (rows: string[]) =>
    app.services.completionImports.importCompletions(
      { system: 'record takeover test' },
      Readable.from([`student_id,course_code,term,grade,credits,email\n${rows.join('\n')}\n`]),
      'registrar-extract.csv',
    );

  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false });
    staff = (await newPerson(app, 'Perpetua Lindqvist', ['registrar'])).browser;
  });
  after(() => app.close());

  test("a reactivation naming another person's student ID shows the record beside it and needs verification", async () => {
    const owner = await recordOnFile('Isaura Penhallow');
    const impostor = await newPerson(app, 'Corvin Ashdown');
    assert.equal((await askToReturn(impostor.browser, owner.name, owner.studentId)).statusCode, 303);

    const queue = textOf((await staff.get('/learners/reactivations')).body);
    assert.match(queue, new RegExp(`Record on file for ${owner.studentId}`));
    assert.ok(queue.includes(owner.email), 'the e-mail on record is shown beside the request');
    assert.match(queue, /E-mail differs: the account's e-mail is not the e-mail on record/);

    const request = await requestOf(impostor.id);
    const unverified = await staff.postForm(`/learners/reactivations/${request.id}`, {
      decision: 'approve',
      comment: '',
    });
    assert.equal(unverified.statusCode, 400);
    assert.match(textOf(unverified.body), /verified this person's identity/);
    assert.equal((await learnerRow(owner.id)).user_id, null, 'the record is not linked');
    assert.equal((await requestOf(impostor.id)).status, 'pending');
  });

  test('the person whose e-mail is on record is matched without a conflict', async () => {
    const owner = await recordOnFile('Thaddeus Orrin');
    const person = await newPerson(app, 'Thaddeus Orrin');
    await db().updateTable('learners').set({ email: person.email }).where('id', '=', owner.id).execute();
    assert.equal((await askToReturn(person.browser, owner.name, owner.studentId)).statusCode, 303);
    const queue = textOf((await staff.get('/learners/reactivations')).body);
    assert.match(queue, /The e-mail on record is the account's e-mail/);

    const request = await requestOf(person.id);
    const approved = await staff.postForm(`/learners/reactivations/${request.id}`, {
      decision: 'approve',
      comment: 'Welcome back.',
    });
    assert.equal(approved.statusCode, 303);
    assert.equal((await learnerRow(owner.id)).user_id, person.id);
  });

  test('staff who verified the person may approve despite a conflict, and the audit log says so', async () => {
    const owner = await recordOnFile('Marisol Quenby');
    const person = await newPerson(app, 'Marisol Quenby');
    assert.equal((await askToReturn(person.browser, owner.name, owner.studentId)).statusCode, 303);
    const request = await requestOf(person.id);
    const approved = await staff.postForm(`/learners/reactivations/${request.id}`, {
      decision: 'approve',
      comment: 'Checked her card at the front desk.',
      identityVerified: 'yes',
    });
    assert.equal(approved.statusCode, 303);
    assert.equal((await learnerRow(owner.id)).user_id, person.id);
    const entries = await app.services.audit.list({ action: 'learner.linked', limit: 20, offset: 0 });
    const entry = entries.find((e) => e.entity_id === owner.id);
    assert.ok(entry);
    assert.match(JSON.stringify(entry.after), /"identityVerifiedBy":"staff"/);
    assert.match(JSON.stringify(entry.after), /email_differs/);
  });

  test('an ID already tied to an account is refused to the requester and can never be linked again', async () => {
    const owner = await recordOnFile('Wilhelmina Garrow');
    const ownerAccount = await newPerson(app, 'Wilhelmina Garrow');
    const impostor = await newPerson(app, 'Dorian Vell');
    // The impostor asks first, while the record has no account.
    assert.equal((await askToReturn(impostor.browser, owner.name, owner.studentId)).statusCode, 303);
    await db().updateTable('learners').set({ user_id: ownerAccount.id }).where('id', '=', owner.id).execute();

    const queue = textOf((await staff.get('/learners/reactivations')).body);
    assert.match(queue, /Already linked to another account/);
    const request = await requestOf(impostor.id);
    const approved = await staff.postForm(`/learners/reactivations/${request.id}`, {
      decision: 'approve',
      comment: '',
      identityVerified: 'yes',
    });
    assert.equal(approved.statusCode, 422);
    assert.match(textOf(approved.body), /linked to another account/);
    assert.equal((await learnerRow(owner.id)).user_id, ownerAccount.id);

    const late = await newPerson(app, 'Ansel Pryce');
    const refused = await askToReturn(late.browser, owner.name, owner.studentId);
    assert.equal(refused.statusCode, 400);
    assert.match(textOf(refused.body), /already linked to an account/);
    const asked = await db()
      .selectFrom('reactivation_requests')
      .select('id')
      .where('user_id', '=', late.id)
      .execute();
    assert.equal(asked.length, 0);

    const nonDegree = await late.browser.postForm(`/enrol/${NON_DEGREE}`, {
      path: 'non_degree',
      name: owner.name,
      email: late.email,
      studentId: owner.studentId,
      noAid: 'yes',
    });
    assert.equal(nonDegree.statusCode, 400);
    assert.equal((await learnerRow(owner.id)).user_id, ownerAccount.id);
  });

  test("a self-declared student ID does not capture the registrar's later completions for it", async () => {
    const unused = freshStudentId();
    const claimant = await newPerson(app, 'Fabian Rooke');
    // The e-mail on a new record is the one the account holder proved, never one typed for someone else.
    const borrowed = await claimant.browser.postForm(`/enrol/${NON_DEGREE}`, {
      path: 'non_degree',
      name: 'Fabian Rooke',
      email: 'genevieve.starling@students.example',
      studentId: unused,
      noAid: 'yes',
    });
    assert.equal(borrowed.statusCode, 400);
    assert.match(textOf(borrowed.body), /must be your account's address/);
    const enrolled = await claimant.browser.postForm(`/enrol/${NON_DEGREE}`, {
      path: 'non_degree',
      name: 'Fabian Rooke',
      email: claimant.email,
      studentId: unused,
      noAid: 'yes',
    });
    assert.equal(enrolled.statusCode, 303);
    const record = await db()
      .selectFrom('learners')
      .selectAll()
      .where('user_id', '=', claimant.id)
      .executeTakeFirstOrThrow();
    assert.equal(record.student_id, unused);

    const result = await importRows([
      `${unused},${COURSE},2025 Fall,A,4,`,
      `${unused},${COURSE},2026 Winter,B,4,genevieve.starling@students.example`,
    ]);
    assert.equal(result.accepted, 0);
    assert.equal(result.rejected, 2);
    const rows = await app.services.completionImports.reportRows(result.id, { limit: 10 });
    for (const row of rows) assert.match(row.reason ?? '', /not confirmed/);
    const captured = await db()
      .selectFrom('completions')
      .select('id')
      .where('learner_id', '=', record.id)
      .execute();
    assert.equal(captured.length, 0, 'no completion went to the self-declared record');
    const page = textOf((await staff.get(`/learners/${record.id}`)).body);
    assert.match(page, /Identity not confirmed/);

    // Staff who have checked the person confirm the ID, knowingly; the held rows are then taken on re-import.
    const unticked = await staff.postForm(`/learners/${record.id}/identity`, {});
    assert.equal(unticked.statusCode, 400);
    assert.equal((await learnerRow(record.id)).identity_confirmed, false);
    assert.equal((await claimant.browser.postForm(`/learners/${record.id}/identity`, {})).statusCode, 403);
    const ticked = await staff.postForm(`/learners/${record.id}/identity`, { identityVerified: 'yes' });
    assert.equal(ticked.statusCode, 303);
    assert.equal((await learnerRow(record.id)).identity_confirmed, true);
    const again = await importRows([`${unused},${COURSE},2025 Fall,A,4,`]);
    assert.equal(again.accepted, 1);
  });

  test('the student system confirms a self-declared ID by giving the account holder’s e-mail', async () => {
    const unused = freshStudentId();
    const student = await newPerson(app, 'Honora Blakeley');
    const enrolled = await student.browser.postForm(`/enrol/${NON_DEGREE}`, {
      path: 'non_degree',
      name: 'Honora Blakeley',
      email: student.email,
      studentId: unused,
      noAid: 'yes',
    });
    assert.equal(enrolled.statusCode, 303);
    const first = await importRows([`${unused},${COURSE},2025 Fall,A,4,${student.email}`]);
    assert.equal(first.accepted, 1);
    const record = await db()
      .selectFrom('learners')
      .select(['id', 'identity_confirmed'])
      .where('user_id', '=', student.id)
      .executeTakeFirstOrThrow();
    assert.equal(record.identity_confirmed, true);
    const confirmed = await app.services.audit.list({
      action: 'learner.identity_confirmed',
      limit: 20,
      offset: 0,
    });
    assert.ok(confirmed.some((e) => e.entity_id === record.id));
    const again = await importRows([`${unused},${COURSE},2025 Fall,A,4,${student.email}`]);
    assert.equal(again.unchanged, 1, 'importing the same file again changes nothing');
  });
  test('a member of the records staff does not decide their own request to return', async () => {
    const owner = await recordOnFile('Wendeline Carrow');
    const registrar = await newPerson(app, 'Wendeline Carrow', ['registrar']);
    await db().updateTable('learners').set({ email: registrar.email }).where('id', '=', owner.id).execute();
    assert.equal((await askToReturn(registrar.browser, owner.name, owner.studentId)).statusCode, 303);
    const request = await requestOf(registrar.id);

    const queue = textOf((await registrar.browser.get('/learners/reactivations')).body);
    assert.match(queue, /This is your own request to return: another person must decide it/);
    const own = await registrar.browser.postForm(`/learners/reactivations/${request.id}`, {
      decision: 'approve',
      comment: 'Approving myself.',
    });
    assert.equal(own.statusCode, 403);
    assert.equal((await requestOf(registrar.id)).status, 'pending');
    assert.equal((await learnerRow(owner.id)).user_id, null, 'nothing was linked');

    const approved = await staff.postForm(`/learners/reactivations/${request.id}`, {
      decision: 'approve',
      comment: 'Welcome back.',
    });
    assert.equal(approved.statusCode, 303, 'another member of staff decides it');
    assert.equal((await learnerRow(owner.id)).user_id, registrar.id);
  });
});
