import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import {
  aLearner,
  aProgram,
  aStaffMember,
  type BuiltLearner,
  type BuiltProgram,
} from '../../test/support/builders.ts';
import { newPerson } from '../../test/support/learners.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

describe(`enrolment on ${testBackend}`, () => {
  let app: TestApp;
  let registrar: BrowserSession;
  // Built before the tests and only read by them: an open program, a draft and two that take returning students.
  let OPEN: string;
  let DRAFT: string;
  let returningTo: BuiltProgram;
  let alsoReturningTo: BuiltProgram;

  /** A current student with a learner record and an account, signed in. */
  const aStudent = async (): Promise<{ learner: BuiltLearner; browser: BrowserSession }> => {
    const learner = await aLearner(app, { status: 'current' });
    return { learner, browser: await learner.account!.signIn() };
  };

  const db = () => app.database.db;
  const learnerOfUser = (userId: string) =>
    db().selectFrom('learners').selectAll().where('user_id', '=', userId).executeTakeFirst();
  const enrolmentsIn = (slug: string, learnerId: string) =>
    db()
      .selectFrom('enrolments as e')
      .innerJoin('programs as p', 'p.id', 'e.program_id')
      .select(['e.path', 'e.status', 'e.enrolled_on'])
      .where('p.slug', '=', slug)
      .where('e.learner_id', '=', learnerId)
      .execute();
  const latestMail = async (to: string) => (await app.services.notifications.list({ to, limit: 1 }))[0];
  const rolesOf = async (userId: string) => (await app.services.accounts.findUser(userId))?.roles ?? [];

  before(async () => {
    app = await startTestApp({ runJobs: false });
    OPEN = (await aProgram(app, { title: 'Broadcast News Production' })).slug;
    DRAFT = (await aProgram(app, { status: 'draft' })).slug;
    returningTo = await aProgram(app, { title: 'Cinema Production Technology' });
    alsoReturningTo = await aProgram(app);
    registrar = await (await aStaffMember(app, 'registrar')).signIn();
  });
  after(() => app.close());

  test('someone who is not signed in is sent to sign in, and back to the same page afterwards', async () => {
    const response = await app.http.inject({ url: `/enrol/${OPEN}?path=current` });
    assert.equal(response.statusCode, 303);
    assert.equal(
      response.headers.location,
      `/login?next=${encodeURIComponent(`/enrol/${OPEN}?path=current`)}`,
    );
  });

  test('a current student with a learner record enrols directly, with an audit entry and a confirmation', async () => {
    const { learner, browser: student } = await aStudent();
    const page = await student.get(`/enrol/${OPEN}?path=current`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(learner.studentId));
    const posted = await student.postForm(`/enrol/${OPEN}`, { path: 'current' });
    assert.equal(posted.statusCode, 303);
    assert.equal(posted.headers.location, `/enrol/${OPEN}?path=current&done=enrolled`);
    const done = await student.get(String(posted.headers.location));
    assert.match(done.body, /You are enrolled\. A confirmation e-mail is on its way/);
    assert.match(done.body, /<a href="\/progress">See your progress<\/a>/, 'the next step is one link away');

    const rows = await enrolmentsIn(OPEN, learner.id);
    assert.deepEqual(
      rows.map((r) => [r.path, r.status]),
      [['current', 'active']],
    );
    const audit = await app.services.audit.list({ action: 'enrolment.created', limit: 5, offset: 0 });
    assert.ok(
      audit.some(
        (e) => (e.after as { program: string }).program === OPEN && e.actor_label.includes(learner.email),
      ),
    );
    const mail = await latestMail(learner.email);
    assert.match(mail!.subject, /^You are enrolled: Broadcast News Production/);
  });

  test('enrolling twice in the same program is a clear message on the enrolment page, not an error', async () => {
    const { learner, browser: student } = await aStudent();
    assert.equal((await student.postForm(`/enrol/${OPEN}`, { path: 'current' })).statusCode, 303);
    const again = await student.postForm(`/enrol/${OPEN}`, { path: 'current' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /<h1>Enrol in Broadcast News Production<\/h1>/);
    assert.match(
      again.body,
      /You are already enrolled in Broadcast News Production \(since [A-Z][a-z]+ \d{1,2}, \d{4}\)/,
    );
    assert.equal((await enrolmentsIn(OPEN, learner.id)).length, 1);
  });

  test('a program that is not open (a draft) refuses enrolment by any path', async () => {
    const { learner, browser: student } = await aStudent();
    const page = await student.get(`/enrol/${DRAFT}?path=current`);
    assert.equal(page.statusCode, 422);
    assert.match(page.body, /is not open for enrolment/);
    const posted = await student.postForm(`/enrol/${DRAFT}`, { path: 'current' });
    assert.equal(posted.statusCode, 422);
    assert.equal((await enrolmentsIn(DRAFT, learner.id)).length, 0);
    assert.equal((await student.get('/enrol/no-such-program')).statusCode, 404);
  });

  test('the current-student path needs a learner record', async () => {
    const person = await newPerson(app, 'Casey Marsh');
    const page = await person.browser.get(`/enrol/${OPEN}?path=current`);
    assert.match(page.body, /not linked to a student record/);
    const posted = await person.browser.postForm(`/enrol/${OPEN}`, { path: 'current' });
    assert.equal(posted.statusCode, 422);
    assert.equal(await learnerOfUser(person.id), undefined);
  });

  test('a non-degree learner fills a short form; a record, an ID and the learner role follow', async () => {
    const person = await newPerson(app, 'Wren Okonkwo');
    assert.deepEqual(await rolesOf(person.id), []);
    const form = await person.browser.get(`/enrol/${OPEN}?path=non_degree`);
    assert.match(form.body, new RegExp(`value="${person.email.replaceAll('.', '\\.')}"`), 'e-mail prefilled');
    assert.doesNotMatch(form.body, /birth/i, 'no date of birth is asked for');

    const unticked = await person.browser.postForm(`/enrol/${OPEN}`, {
      path: 'non_degree',
      name: 'Wren Okonkwo',
      email: person.email,
      studentId: '',
    });
    assert.equal(unticked.statusCode, 400);
    assert.match(unticked.body, /financial aid does not apply/);
    assert.equal(await learnerOfUser(person.id), undefined);

    const posted = await person.browser.postForm(`/enrol/${OPEN}`, {
      path: 'non_degree',
      name: 'Wren Okonkwo',
      email: person.email,
      studentId: '',
      noAid: 'yes',
    });
    assert.equal(posted.statusCode, 303);
    const learner = (await learnerOfUser(person.id))!;
    assert.equal(learner.status, 'non_degree_seeking');
    assert.match(learner.student_id, /^N\d{8}$/);
    assert.equal(learner.email, person.email);
    assert.deepEqual(
      (await enrolmentsIn(OPEN, learner.id)).map((r) => r.path),
      ['non_degree'],
    );
    assert.deepEqual(await rolesOf(person.id), ['learner']);
    const granted = await app.services.audit.list({ action: 'account.role_granted', limit: 10, offset: 0 });
    assert.ok(granted.some((e) => e.entity_id === person.id));
    assert.match((await latestMail(person.email))!.subject, /^You are enrolled/);
  });

  test('a non-degree student ID already on another record is refused, with the field named', async () => {
    const someoneElse = await aLearner(app, { account: false });
    const person = await newPerson(app, 'Ari Lindgren');
    const posted = await person.browser.postForm(`/enrol/${OPEN}`, {
      path: 'non_degree',
      name: 'Ari Lindgren',
      email: person.email,
      studentId: someoneElse.studentId,
      noAid: 'yes',
    });
    assert.equal(posted.statusCode, 400);
    assert.match(posted.body, /Student ID \(optional\) is already on another learner record/);
    assert.equal(await learnerOfUser(person.id), undefined);
  });

  test('a returning student asks, staff approve, and the student is enrolled and told', async () => {
    const slug = returningTo.slug;
    const person = await newPerson(app, 'Dana Whitcombe');
    const form = await person.browser.get(`/enrol/${slug}?path=returning`);
    assert.match(form.body, /Last term you attended/);
    const badTerm = await person.browser.postForm(`/enrol/${slug}`, {
      path: 'returning',
      name: 'Dana Whitcombe',
      studentId: 'C00777001',
      lastTerm: 'a while ago',
      reason: 'I want to finish the courses I started.',
    });
    assert.equal(badTerm.statusCode, 400);
    assert.match(badTerm.body, /must be a year and season/);

    const asked = await person.browser.postForm(`/enrol/${slug}`, {
      path: 'returning',
      name: 'Dana Whitcombe',
      studentId: 'C00777001',
      lastTerm: 'spring 2021',
      reason: 'I want to finish the courses I started.',
    });
    assert.equal(asked.statusCode, 303);
    assert.match((await person.browser.get(`/enrol/${slug}?path=returning`)).body, /You asked to return on/);
    const twice = await person.browser.postForm(`/enrol/${slug}`, {
      path: 'returning',
      name: 'Dana Whitcombe',
      studentId: 'C00777001',
      lastTerm: '2021 Spring',
      reason: 'Asking a second time, just in case.',
    });
    assert.equal(twice.statusCode, 409);

    assert.equal((await (await aStudent()).browser.get('/learners/reactivations')).statusCode, 403);
    const queue = await registrar.get('/learners/reactivations');
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, /Dana Whitcombe · Cinema Production Technology/);
    assert.match(queue.body, /2021 Spring/);
    const request = await db()
      .selectFrom('reactivation_requests')
      .select('id')
      .where('user_id', '=', person.id)
      .executeTakeFirstOrThrow();
    const approved = await registrar.postForm(`/learners/reactivations/${request.id}`, {
      decision: 'approve',
      comment: 'Welcome back; your advisor is expecting you.',
    });
    assert.equal(approved.statusCode, 303);

    const learner = (await learnerOfUser(person.id))!;
    assert.equal(learner.status, 'returning');
    assert.equal(learner.student_id, 'C00777001');
    assert.deepEqual(
      (await enrolmentsIn(slug, learner.id)).map((r) => r.path),
      ['returning'],
    );
    assert.deepEqual(await rolesOf(person.id), ['learner']);
    const mail = (await latestMail(person.email))!;
    assert.match(mail.subject, /^Welcome back/);
    assert.match(mail.text_body, /your advisor is expecting you/);

    const decidedAgain = await registrar.postForm(`/learners/reactivations/${request.id}`, {
      decision: 'decline',
      comment: 'Too late now.',
    });
    assert.equal(decidedAgain.statusCode, 422);
    assert.match(decidedAgain.body, /already decided/);
  });

  test('staff decline a reactivation with a reason, which the student receives; nothing is enrolled', async () => {
    const slug = alsoReturningTo.slug;
    const person = await newPerson(app, 'Remy Castellanos');
    const asked = await person.browser.postForm(`/enrol/${slug}`, {
      path: 'returning',
      name: 'Remy Castellanos',
      studentId: 'C00777002',
      lastTerm: '2019 Fall',
      reason: 'Back in town and ready to study again.',
    });
    assert.equal(asked.statusCode, 303);
    const request = await db()
      .selectFrom('reactivation_requests')
      .select('id')
      .where('user_id', '=', person.id)
      .executeTakeFirstOrThrow();
    const silent = await registrar.postForm(`/learners/reactivations/${request.id}`, {
      decision: 'decline',
      comment: '',
    });
    assert.equal(silent.statusCode, 400);
    assert.match(silent.body, /must explain the decision/);

    const declined = await registrar.postForm(`/learners/reactivations/${request.id}`, {
      decision: 'decline',
      comment: 'Your record shows an unpaid balance; please contact the bursar first.',
    });
    assert.equal(declined.statusCode, 303);
    const status = await db()
      .selectFrom('reactivation_requests')
      .select('status')
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    assert.equal(status.status, 'declined');
    const mail = (await latestMail(person.email))!;
    assert.match(mail.text_body, /unpaid balance; please contact the bursar first/);
    assert.equal(await learnerOfUser(person.id), undefined);
    assert.deepEqual(await rolesOf(person.id), []);
  });
});
