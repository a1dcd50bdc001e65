import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import {
  aBadgeRequest,
  aCompletion,
  aCourse,
  aLearner,
  anEnrolment,
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
import { newId } from '../platform/ids.ts';

const today = '2026-11-25';

describe(`progress and badge requests on ${testBackend}`, () => {
  let app: TestApp;
  const clock = fixedClock(`${today}T15:00:00Z`);

  const progressOf = async (learner: { email: string }, program: BuiltProgram) => {
    const { learners } = await app.services.progress.evaluateProgram(program.id);
    const found = learners.find((l) => l.email === learner.email);
    assert.ok(found, `${learner.email} is enrolled in ${program.slug}`);
    return found;
  };

  const requestsOf = (learner: BuiltLearner, program: BuiltProgram) =>
    app.database.db
      .selectFrom('badge_requests')
      .selectAll()
      .where('learner_id', '=', learner.id)
      .where('program_id', '=', program.id)
      .orderBy('requested_at')
      .execute();

  async function latestMailTo(to: string) {
    const [mail] = await app.services.notifications.list({ to, limit: 1 });
    assert.ok(mail, `a mail to ${to}`);
    return mail;
  }

  /** A learner's account, signed in (builders make learners with accounts unless told otherwise). */
  const browserOf = (learner: BuiltLearner) => learner.account!.signIn();

  /** Enrolled in the program with every course passed. */
  async function metIn(program: BuiltProgram, learner?: BuiltLearner) {
    const who = learner ?? (await aLearner(app));
    await anEnrolment(app, who, program);
    for (const course of program.courses) await aCompletion(app, who, course);
    return who;
  }

  /** A program shaped like a data visualization badge: two required courses and one of two electives. */
  async function programWithElective(lead?: Person) {
    const [a, b, c, d] = [await aCourse(app), await aCourse(app), await aCourse(app), await aCourse(app)];
    const rule = (code: string) => ({ type: 'course', code, minGrade: 'C-' });
    return aProgram(app, {
      title: 'Charting Public Data',
      lead,
      courses: [a.code, b.code, c.code, d.code],
      requirement: {
        type: 'all',
        rules: [
          rule(a.code),
          rule(b.code),
          { type: 'choose', count: 1, rules: [rule(c.code), rule(d.code)] },
        ],
      },
    });
  }

  /** One learner in three programs: one met, one part way (still needs the second course), one not started. */
  async function learnerInThreePrograms() {
    const lead = await aStaffMember(app, 'program_lead');
    const met = await aProgram(app, { title: 'Speaking to Persuade', creditType: 'non_credit', lead });
    const halfWay = await programWithElective(lead);
    const notStarted = await aProgram(app, { title: 'Social Media Strategy', lead });
    const learner = await metIn(met);
    await anEnrolment(app, learner, halfWay);
    await aCompletion(app, learner, halfWay.courses[0]!, { grade: 'B' });
    await aCompletion(app, learner, halfWay.courses[2]!, { grade: 'A-' });
    await anEnrolment(app, learner, notStarted);
    const stillNeeds = `2 of 3 required courses done; still needs ${halfWay.courses[1]} (C- or better).`;
    return { lead, learner, met, halfWay, notStarted, stillNeeds };
  }

  before(async () => {
    app = await startTestApp({ runJobs: false, clock });
  });
  after(() => app.close());

  test('a learner is measured against each rule: met, part way with what is missing, or not started', async () => {
    const { learner, met, halfWay, notStarted, stillNeeds } = await learnerInThreePrograms();
    const complete = await progressOf(learner, met);
    assert.equal(complete.progress.met, true);
    assert.equal(complete.progress.status, 'complete');
    const partWay = await progressOf(learner, halfWay);
    assert.equal(partWay.progress.met, false);
    assert.ok(partWay.progress.percent > 0 && partWay.progress.percent < 100);
    assert.equal(partWay.progress.explanation, stillNeeds);
    assert.equal(partWay.progress.status, 'in_progress');
    const justEnrolled = await progressOf(learner, notStarted);
    assert.equal(justEnrolled.progress.met, false);
    assert.equal(justEnrolled.progress.status, 'not_started');
    assert.equal(justEnrolled.progress.percent, 0);
  });

  test('the learner dashboard shows a bar, the explanation and the badge button only when met', async () => {
    const { learner, met, halfWay, stillNeeds } = await learnerInThreePrograms();
    const browser = await browserOf(learner);
    const page = await browser.get('/progress');
    assert.equal(page.statusCode, 200);
    assert.equal(page.body.match(/<progress /g)?.length, 3, 'one bar per enrolment');
    assert.match(page.body, new RegExp(`aria-label="Progress toward ${halfWay.title}"`));
    assert.ok(page.body.includes(stillNeeds));
    assert.match(page.body, /Still needed before you can request the badge/);
    assert.equal(page.body.match(/Request my badge/g)?.length, 1, 'only the met enrolment offers the button');
    assert.match(page.body, new RegExp(`name="program" value="${met.slug}"`));

    const home = await browser.get('/home');
    assert.match(home.body, /<a href="\/progress">See my progress<\/a>/);
    const staffOnly = await browser.get(`/progress/programs/${met.slug}`);
    assert.equal(staffOnly.statusCode, 403);
  });

  test('a request is refused while the requirements are not met, and nothing is stored', async () => {
    const { learner, halfWay } = await learnerInThreePrograms();
    const browser = await browserOf(learner);
    const refused = await browser.postForm('/progress/requests', { program: halfWay.slug });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /once every requirement is met/);
    assert.deepEqual(await requestsOf(learner, halfWay), []);
  });

  test('a met enrolment is requested, the lead approves, and the learner is told', async () => {
    const lead = await aStaffMember(app, 'program_lead');
    const program = await aProgram(app, { title: 'Speaking to Persuade', lead });
    const learner = await metIn(program, await aLearner(app, { name: 'Imogen Halloran' }));
    const browser = await browserOf(learner);
    const sent = await browser.postForm('/progress/requests', { program: program.slug });
    assert.equal(sent.statusCode, 303);
    const [request] = await requestsOf(learner, program);
    assert.equal(request?.status, 'requested');
    assert.equal(request?.evaluation.met, true);
    assert.equal(
      (await latestMailTo(lead.email)).subject,
      'Badge request: Imogen Halloran, Speaking to Persuade',
    );
    assert.match((await browser.get('/progress')).body, /waiting for a decision/);

    const leadBrowser = await lead.signIn();
    const review = await leadBrowser.get('/progress/requests');
    assert.equal(review.statusCode, 200);
    assert.match(review.body, /Speaking to Persuade/);
    const approved = await leadBrowser.postForm(`/progress/requests/${request!.id}/decision`, {
      decision: 'approve',
      comment: 'Checked against the transcript.',
    });
    assert.equal(approved.statusCode, 303);
    const [after] = await requestsOf(learner, program);
    assert.equal(after?.status, 'approved');
    assert.equal(after?.decided_by, lead.id);
    const mail = await latestMailTo(learner.email);
    assert.match(mail.subject, /approved/);
    assert.match(mail.text_body, /Checked against the transcript\./);
    const audit = await app.services.audit.list({ action: 'badge_request.approved', limit: 5, offset: 0 });
    assert.ok(audit.some((entry) => entry.entity_id === request!.id));
    assert.match((await browser.get('/progress')).body, /Badge request: <strong>approved<\/strong>/);

    const approvedList = await app.services.badgeRequests.listApprovedRequests();
    assert.ok(approvedList.some((item) => item.id === request!.id));
  });

  test('a second open request for the same program is refused, by the service and by the database', async () => {
    const { learner, program } = await aBadgeRequest(app);
    const browser = await browserOf(learner);
    const again = await browser.postForm('/progress/requests', { program: program.slug });
    assert.equal(again.statusCode, 409);
    assert.equal((await requestsOf(learner, program)).length, 1);

    // Straight to the table, past every check in code: the partial unique index still refuses.
    await assert.rejects(
      app.database.db
        .insertInto('badge_requests')
        .values({
          id: newId(),
          learner_id: learner.id,
          program_id: program.id,
          status: 'requested',
          evaluation: JSON.stringify({}),
        })
        .execute(),
      /badge_requests_one_open|duplicate key/,
    );
  });

  test('a learner cannot decide a request', async () => {
    const { request, learner, program } = await aBadgeRequest(app);
    const browser = await browserOf(learner);
    const refused = await browser.postForm(`/progress/requests/${request.id}/decision`, {
      decision: 'approve',
    });
    assert.equal(refused.statusCode, 403);
    assert.equal((await requestsOf(learner, program))[0]?.status, 'requested');
  });

  test('the lead of another program cannot see its learners or decide its requests', async () => {
    const program = await aProgram(app, { lead: await aStaffMember(app, 'program_lead') });
    const { request, learner } = await aBadgeRequest(app, {
      program,
      learner: await aLearner(app, { name: 'Amara Okonjo' }),
    });
    const other = await (await aStaffMember(app, 'program_lead')).signIn();
    const refused = await other.postForm(`/progress/requests/${request.id}/decision`, {
      decision: 'approve',
    });
    assert.equal(refused.statusCode, 403);
    assert.equal((await other.get(`/progress/programs/${program.slug}`)).statusCode, 403);
    assert.doesNotMatch((await other.get('/progress/requests')).body, /Amara Okonjo/);
    assert.equal((await requestsOf(learner, program))[0]?.status, 'requested');
  });

  test('returning a request needs a comment, which reaches the learner', async () => {
    const lead = await aStaffMember(app, 'program_lead');
    const { request, learner, program } = await aBadgeRequest(app, {
      program: await aProgram(app, { lead }),
    });
    const browser = await lead.signIn();
    const blank = await browser.postForm(`/progress/requests/${request.id}/decision`, {
      decision: 'return',
      comment: '   ',
    });
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /is required to return a request/);
    assert.equal((await requestsOf(learner, program))[0]?.status, 'requested');
    await assert.rejects(
      app.database.db
        .updateTable('badge_requests')
        .set({ status: 'returned', decided_by: lead.id, decided_at: new Date(), comment: null })
        .where('id', '=', request.id)
        .execute(),
      'the database refuses a returned request without a comment',
    );

    const returned = await browser.postForm(`/progress/requests/${request.id}/decision`, {
      decision: 'return',
      comment: 'Please send the "final map" portfolio, too.',
    });
    assert.equal(returned.statusCode, 303);
    const [after] = await requestsOf(learner, program);
    assert.equal(after?.status, 'returned');
    assert.equal(after?.comment, 'Please send the "final map" portfolio, too.');
    const mail = await latestMailTo(learner.email);
    assert.match(mail.subject, /needs attention/);
    assert.match(mail.text_body, /final map/);
  });

  test('signing off an applied experience makes the program met at once, and is audited', async () => {
    const lead = await aStaffMember(app, 'program_lead', { name: 'Tobias Lindqvist' });
    const [a, b] = [await aCourse(app), await aCourse(app)];
    const program = await aProgram(app, {
      lead,
      courses: [a.code, b.code],
      requirement: {
        type: 'all',
        rules: [
          { type: 'course', code: a.code, minGrade: 'C-' },
          { type: 'course', code: b.code, minGrade: 'C-' },
          {
            type: 'experience',
            key: 'on-set-placement',
            name: 'Crew placement on a faculty-mentored production',
          },
        ],
      },
    });
    const learner = await metIn(program);
    const before = await progressOf(learner, program);
    assert.equal(before.progress.met, false);
    assert.deepEqual(before.progress.missing, [
      'Crew placement on a faculty-mentored production (faculty sign-off)',
    ]);

    const browser = await lead.signIn();
    const page = `/progress/programs/${program.slug}/learners/${learner.id}`;
    const future = await browser.postForm(`${page}/experiences`, {
      key: 'on-set-placement',
      signedOffOn: '2027-01-10',
    });
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /cannot be in the future/);
    assert.equal((await progressOf(learner, program)).progress.met, false);

    const signed = await browser.postForm(`${page}/experiences`, {
      key: 'on-set-placement',
      signedOffOn: '2026-10-30',
      note: 'Second unit on "Alder Falls".',
    });
    assert.equal(signed.statusCode, 303);
    const afterSignOff = await progressOf(learner, program);
    assert.equal(afterSignOff.progress.met, true);
    assert.equal(afterSignOff.progress.status, 'complete');
    assert.match(
      (await browser.get(page)).body,
      /signed off by Tobias Lindqvist, completed October 30, 2026/,
    );
    const audit = await app.services.audit.list({
      action: 'progress.experience_signed_off',
      limit: 5,
      offset: 0,
    });
    assert.ok(audit.some((entry) => entry.entity_id === learner.id));

    const twice = await browser.postForm(`${page}/experiences`, {
      key: 'on-set-placement',
      signedOffOn: '2026-10-30',
    });
    assert.equal(twice.statusCode, 409);
  });

  test('an approved substitution counts toward the requirement', async () => {
    const lead = await aStaffMember(app, 'program_lead');
    const program = await aProgram(app, { lead });
    const [taken, missing] = program.courses as [string, string];
    const substitute = await aCourse(app);
    const learner = await aLearner(app);
    await anEnrolment(app, learner, program);
    await aCompletion(app, learner, taken);
    await aCompletion(app, learner, substitute.code, { grade: 'B', completedOn: '2026-06-12' });
    assert.equal((await progressOf(learner, program)).progress.met, false);

    const browser = await lead.signIn();
    const page = `/progress/programs/${program.slug}/learners/${learner.id}`;
    const unknown = await browser.postForm(`${page}/substitutions`, {
      requiredCourse: missing,
      substituteCourse: 'MATH 999',
      reason: 'Equivalent',
    });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /MATH 999 is not a course in the catalog/);

    const approved = await browser.postForm(`${page}/substitutions`, {
      requiredCourse: missing,
      substituteCourse: substitute.code.toLowerCase(),
      reason: 'Covers the same dashboard design outcomes.',
    });
    assert.equal(approved.statusCode, 303);
    const after = await progressOf(learner, program);
    assert.equal(after.progress.met, true);
    assert.ok((await browser.get(page)).body.includes(`${substitute.code} counts as ${missing}`));
    const audit = await app.services.audit.list({
      action: 'progress.substitution_approved',
      limit: 5,
      offset: 0,
    });
    assert.ok(audit.some((entry) => entry.entity_id === learner.id));

    // Now met, the learner may ask for this badge.
    const dashboard = await (await browserOf(learner)).get('/progress');
    assert.match(dashboard.body, new RegExp(`name="program" value="${program.slug}"`));
  });

  test('a learner can withdraw an open request and ask again later', async () => {
    const lead = await aStaffMember(app, 'program_lead');
    const program = await aProgram(app, { lead });
    const learner = await metIn(program);
    const browser = await browserOf(learner);
    clock.set(`${today}T15:00:00Z`);
    assert.equal((await browser.postForm('/progress/requests', { program: program.slug })).statusCode, 303);
    const [open] = await requestsOf(learner, program);
    assert.equal(open?.status, 'requested');
    const someoneElse = await lead.signIn();
    assert.equal((await someoneElse.postForm(`/progress/requests/${open!.id}/withdraw`, {})).statusCode, 403);
    const withdrawn = await browser.postForm(`/progress/requests/${open!.id}/withdraw`, {});
    assert.equal(withdrawn.statusCode, 303);
    assert.equal((await requestsOf(learner, program))[0]?.status, 'withdrawn');
    clock.set(`${today}T16:00:00Z`);
    assert.equal((await browser.postForm('/progress/requests', { program: program.slug })).statusCode, 303);
    const statuses = (await requestsOf(learner, program)).map((request) => request.status);
    assert.deepEqual(statuses, ['withdrawn', 'requested']);
  });

  test('the lead view filters by status and search', async () => {
    const lead = await aStaffMember(app, 'program_lead');
    const program = await aProgram(app, { lead });
    const notLed = await aProgram(app, { lead: await aStaffMember(app, 'program_lead') });
    const learner = await metIn(program, await aLearner(app, { name: 'Wendell Marsh' }));
    await metIn(notLed, learner);
    const browser = await lead.signIn();
    const all = await browser.get(`/progress/programs/${program.slug}`);
    assert.equal(all.statusCode, 200);
    assert.match(all.body, /Wendell Marsh/);
    assert.match(all.body, /Complete: <strong>1<\/strong>/);
    const stalled = await browser.get(`/progress/programs/${program.slug}?status=stalled`);
    assert.match(stalled.body, /No learner matches these filters/);
    const search = await browser.get(`/progress/programs/${program.slug}?q=nobody-by-this-name`);
    assert.match(search.body, /No learner matches these filters/);
    const index = await browser.get('/progress/programs');
    assert.ok(index.body.includes(`href="/progress/programs/${program.slug}"`));
    assert.ok(!index.body.includes(notLed.slug), 'only the programs the lead leads');
  });

  test('the CSV export has a header row and quotes awkward values properly', async () => {
    const lead = await aStaffMember(app, 'program_lead');
    const program = await aProgram(app, {
      lead,
      courses: [(await aCourse(app)).code, (await aCourse(app)).code, (await aCourse(app)).code],
    });
    const learner = await aLearner(app, {
      name: 'O\'Neil, "Pat"',
      email: 'pat.oneil@mail.example',
      studentId: 'T0000001',
      status: 'non_degree_seeking',
      account: false,
    });
    await anEnrolment(app, learner, program, { path: 'non_degree', enrolledOn: '2026-09-01' });
    await aCompletion(app, learner, program.courses[0]!, { grade: 'A', completedOn: '2026-10-01' });

    const browser = await lead.signIn();
    const response = await browser.get(`/progress/programs/${program.slug}/export.csv`);
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/csv/);
    assert.equal(
      String(response.headers['content-disposition']),
      `attachment; filename="${program.slug}-progress-2026-11-25.csv"`,
    );
    assert.ok(
      response.body.includes('"O\'Neil, ""Pat"""'),
      'commas and quotes are quoted, inner quotes doubled',
    );
    const rows = parse(response.body, { bom: true }) as string[][];
    assert.equal(rows[0]?.[0], 'Name');
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[1]?.slice(0, 6), [
      'O\'Neil, "Pat"',
      'pat.oneil@mail.example',
      'T0000001',
      '2026-09-01',
      'In progress',
      '33',
    ]);
    const otherLead = await (await aStaffMember(app, 'program_lead')).signIn();
    assert.equal((await otherLead.get(`/progress/programs/${program.slug}/export.csv`)).statusCode, 403);
  });

  /** A request approved by an administrator, waiting to be issued. */
  async function anApprovedRequest() {
    const built = await aBadgeRequest(app);
    await app.services.badgeRequests.decide(
      await aStaffMember(app, 'admin'),
      built.request.id,
      'approve',
      '',
    );
    return built;
  }

  /** Issues the request's badge and marks the request issued, in one transaction as issuing does. */
  async function issueFor(built: Awaited<ReturnType<typeof anApprovedRequest>>) {
    await anInstitution(app);
    return app.database.db.transaction().execute(async (trx) => {
      const issued = await app.services.credentials.issueCredential(
        { system: 'test' },
        {
          programId: built.program.id,
          learner: { email: built.learner.email, name: built.learner.name, learnerId: built.learner.id },
        },
        trx,
      );
      await app.services.badgeRequests.markIssued(built.request.id, issued.id, trx);
      return issued.id;
    });
  }

  test('an approved request is marked issued once, inside the issuing transaction', async () => {
    const built = await anApprovedRequest();
    const credentialId = await issueFor(built);
    const [after] = await requestsOf(built.learner, built.program);
    assert.equal(after?.status, 'issued');
    assert.equal(after?.credential_id, credentialId);
    await assert.rejects(
      app.database.db
        .transaction()
        .execute((trx) => app.services.badgeRequests.markIssued(built.request.id, credentialId, trx)),
      /Only an approved badge request/,
    );
  });

  test('a revoked badge can be requested again by the learner, once, and goes through review again', async () => {
    const built = await anApprovedRequest();
    const { learner, program } = built;
    const browser = await browserOf(learner);
    const issuedId = await issueFor(built);
    const again = await browser.postForm('/progress/requests', { program: program.slug });
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /already issued/);

    await app.services.credentials.changeStatus({ system: 'test' }, issuedId, 'revoke', 'Issued in error.');
    const page = await browser.get('/progress');
    assert.match(page.body, /you may ask for it again/);
    const asked = await browser.postForm('/progress/requests', { program: program.slug });
    assert.ok(asked.statusCode < 400, `the new request is taken (${asked.statusCode})`);
    const twice = await browser.postForm('/progress/requests', { program: program.slug });
    assert.equal(twice.statusCode, 409);
    assert.match(twice.body, /already asked/);
    const statuses = (await requestsOf(learner, program)).map((r) => r.status).sort();
    assert.deepEqual(statuses, ['issued', 'requested'], 'one new request, waiting for review');
  });

  test('a program with 2,000 enrolled learners is evaluated in one call (smoke test, no timing)', async () => {
    const lead = await aStaffMember(app, 'program_lead');
    const courses = [(await aCourse(app)).code, (await aCourse(app)).code, (await aCourse(app)).code];
    const built = await aProgram(app, {
      lead,
      creditType: 'non_credit',
      courses,
      requirement: { type: 'all', rules: courses.map((code) => ({ type: 'course', code })) },
    });
    const { slug, id: program } = built;
    const learners = [];
    const enrolments = [];
    const completions = [];
    for (let index = 0; index < 2000; index += 1) {
      const id = newId();
      const kind = index % 4; // 0: nothing yet, 1: one course long ago, 2: two recent courses, 3: all three
      const long = kind === 1;
      learners.push({
        id,
        email: `scale-${index}@mail.example`,
        name: `Scale Learner ${String(index).padStart(4, '0')}`,
        student_id: `S${String(index).padStart(7, '0')}`,
        status: 'non_degree_seeking' as const,
      });
      enrolments.push({
        id: newId(),
        learner_id: id,
        program_id: program,
        path: 'non_degree' as const,
        enrolled_on: long ? '2024-01-08' : '2026-01-05',
      });
      for (const course of courses.slice(0, kind)) {
        completions.push({
          id: newId(),
          learner_id: id,
          course_code: course,
          term: '2026 Spring',
          grade: 'P',
          credits: 1,
          completed_on: long ? '2024-06-12' : '2026-06-12',
        });
      }
    }
    const db = app.database.db;
    for (let start = 0; start < 2000; start += 500) {
      await db
        .insertInto('learners')
        .values(learners.slice(start, start + 500))
        .execute();
      await db
        .insertInto('enrolments')
        .values(enrolments.slice(start, start + 500))
        .execute();
    }
    for (let start = 0; start < completions.length; start += 500) {
      await db
        .insertInto('completions')
        .values(completions.slice(start, start + 500))
        .execute();
    }

    const result = await app.services.progress.evaluateProgram(program);
    assert.equal(result.learners.length, 2000);
    const counts: Record<string, number> = {};
    for (const learner of result.learners)
      counts[learner.progress.status] = (counts[learner.progress.status] ?? 0) + 1;
    assert.deepEqual(counts, { not_started: 500, stalled: 500, in_progress: 500, complete: 500 });

    const browser = await lead.signIn();
    const page = await browser.get(`/progress/programs/${slug}?status=complete`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /500 of 2000 match/);
    assert.match(page.body, /Page 1 of 10/);
    const csv = await browser.get(`/progress/programs/${slug}/export.csv`);
    assert.equal((parse(csv.body, { bom: true }) as string[][]).length, 2001);
  });
});
