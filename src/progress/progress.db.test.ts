import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { DEMO_PASSWORD, loadDemoUniversity } from '../demo/demo-data.ts';
import { fixedClock } from '../platform/clock.ts';
import { newId } from '../platform/ids.ts';

const learnerEmail = 'learner@cascaderidge.example';
const lead = 'lead@cascaderidge.example';
const lead2 = 'lead2@cascaderidge.example';
const today = '2026-11-25';

describe(`progress and badge requests on ${testBackend}`, () => {
  let app: TestApp;
  const clock = fixedClock(`${today}T15:00:00Z`);
  const sessions = new Map<string, BrowserSession>();

  /** One signed-in browser per person, reused across tests. */
  async function as(email: string): Promise<BrowserSession> {
    let session = sessions.get(email);
    if (!session) {
      session = new BrowserSession(app);
      await session.login(email, DEMO_PASSWORD);
      sessions.set(email, session);
    }
    return session;
  }

  async function learnerId(email: string): Promise<string> {
    const row = await app.database.db
      .selectFrom('learners')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function programId(slug: string): Promise<string> {
    const row = await app.database.db
      .selectFrom('programs')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function addCompletion(learner: string, course: string, grade: string, completedOn: string) {
    await app.database.db
      .insertInto('completions')
      .values({
        id: newId(),
        learner_id: learner,
        course_code: course,
        term: `test ${newId().slice(0, 8)}`,
        grade,
        credits: 4,
        completed_on: completedOn,
      })
      .execute();
  }

  async function progressOf(email: string, slug: string) {
    const { learners } = await app.services.progress.evaluateProgram(await programId(slug));
    const found = learners.find((learner) => learner.email === email);
    assert.ok(found, `${email} is enrolled in ${slug}`);
    return found;
  }

  async function requestsOf(email: string, slug: string) {
    return app.database.db
      .selectFrom('badge_requests')
      .selectAll()
      .where('learner_id', '=', await learnerId(email))
      .where('program_id', '=', await programId(slug))
      .orderBy('requested_at')
      .execute();
  }

  async function latestMailTo(to: string) {
    const [mail] = await app.services.notifications.list({ to, limit: 1 });
    assert.ok(mail, `a mail to ${to}`);
    return mail;
  }

  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false, clock });
  });
  after(() => app.close());

  test('every demo learner is evaluated at the stage the demo data gives them', async () => {
    const demo = loadDemoUniversity();
    for (const learner of demo.learners) {
      for (const enrolment of learner.enrolments) {
        const { progress } = await progressOf(learner.email, enrolment.program);
        const where = `${learner.email} in ${enrolment.program}`;
        if (enrolment.stage === 'complete' || enrolment.stage === 'badge_issued') {
          assert.equal(progress.met, true, `${where} is met`);
          assert.equal(progress.status, 'complete', where);
        } else if (enrolment.stage === 'half_way') {
          assert.equal(progress.met, false, `${where} is not met`);
          assert.ok(progress.percent > 0 && progress.percent < 100, `${where} is part way`);
          assert.ok(progress.missing.length > 0, `${where} says what is missing`);
        } else {
          // Just enrolled: courses taken for another program may already count here, but nothing is met.
          assert.equal(progress.met, false, `${where} is not met`);
        }
      }
    }
    const halfWay = await progressOf(learnerEmail, 'data-visualization');
    assert.equal(
      halfWay.progress.explanation,
      '2 of 3 required courses done; still needs MATH 344 (C- or better).',
    );
    assert.equal(halfWay.progress.status, 'in_progress');
    const justEnrolled = await progressOf(learnerEmail, 'social-media-strategy');
    assert.equal(justEnrolled.progress.status, 'not_started');
    assert.equal(justEnrolled.progress.percent, 0);
  });

  test('the learner dashboard shows a bar, the explanation and the badge button only when met', async () => {
    const browser = await as(learnerEmail);
    const page = await browser.get('/progress');
    assert.equal(page.statusCode, 200);
    assert.equal(page.body.match(/<progress /g)?.length, 3, 'one bar per enrolment');
    assert.match(page.body, /aria-label="Progress toward Data Visualization"/);
    assert.match(page.body, /2 of 3 required courses done; still needs MATH 344 \(C- or better\)\./);
    assert.match(page.body, /Still needed before you can request the badge/);
    assert.equal(page.body.match(/Request my badge/g)?.length, 1, 'only the met enrolment offers the button');
    assert.match(page.body, /name="program" value="persuasive-communication"/);

    const home = await browser.get('/home');
    assert.match(home.body, /<a href="\/progress">See my progress<\/a>/);
    const staffOnly = await browser.get('/progress/programs/persuasive-communication');
    assert.equal(staffOnly.statusCode, 403);
  });

  test('a request is refused while the requirements are not met, and nothing is stored', async () => {
    const browser = await as(learnerEmail);
    const refused = await browser.postForm('/progress/requests', { program: 'data-visualization' });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /once every requirement is met/);
    assert.deepEqual(await requestsOf(learnerEmail, 'data-visualization'), []);
  });

  test('a met enrolment is requested, the lead approves, and the learner is told', async () => {
    const browser = await as(learnerEmail);
    const sent = await browser.postForm('/progress/requests', { program: 'persuasive-communication' });
    assert.equal(sent.statusCode, 303);
    const [request] = await requestsOf(learnerEmail, 'persuasive-communication');
    assert.equal(request?.status, 'requested');
    assert.equal(request?.evaluation.met, true);
    assert.match(
      (await latestMailTo(lead)).subject,
      /^Badge request: Jordan Ellis, Persuasive Communication$/,
    );
    assert.match((await browser.get('/progress')).body, /waiting for a decision/);

    const leadBrowser = await as(lead);
    const review = await leadBrowser.get('/progress/requests');
    assert.equal(review.statusCode, 200);
    assert.match(review.body, /Persuasive Communication/);
    const approved = await leadBrowser.postForm(`/progress/requests/${request!.id}/decision`, {
      decision: 'approve',
      comment: 'Checked against the transcript.',
    });
    assert.equal(approved.statusCode, 303);
    const [after] = await requestsOf(learnerEmail, 'persuasive-communication');
    assert.equal(after?.status, 'approved');
    assert.ok(after?.decided_by);
    const mail = await latestMailTo(learnerEmail);
    assert.match(mail.subject, /approved/);
    assert.match(mail.text_body, /Checked against the transcript\./);
    const audit = await app.services.audit.list({ action: 'badge_request.approved', limit: 5, offset: 0 });
    assert.ok(audit.some((entry) => entry.entity_id === request!.id));
    assert.match((await browser.get('/progress')).body, /Badge request: <strong>approved<\/strong>/);

    const approvedList = await app.services.badgeRequests.listApprovedRequests();
    assert.ok(approvedList.some((item) => item.id === request!.id));
  });

  test('a second open request for the same program is refused, by the service and by the database', async () => {
    const browser = await as(learnerEmail);
    const again = await browser.postForm('/progress/requests', { program: 'persuasive-communication' });
    assert.equal(again.statusCode, 409);
    assert.equal((await requestsOf(learnerEmail, 'persuasive-communication')).length, 1);

    // Straight to the table, past every check in code: the partial unique index still refuses.
    await assert.rejects(
      app.database.db
        .insertInto('badge_requests')
        .values({
          id: newId(),
          learner_id: await learnerId(learnerEmail),
          program_id: await programId('persuasive-communication'),
          status: 'requested',
          evaluation: JSON.stringify({}),
        })
        .execute(),
      /badge_requests_one_open|duplicate key/,
    );
  });

  test('a learner cannot decide a request', async () => {
    const [request] = await requestsOf(learnerEmail, 'persuasive-communication');
    const browser = await as(learnerEmail);
    const refused = await browser.postForm(`/progress/requests/${request!.id}/decision`, {
      decision: 'approve',
    });
    assert.equal(refused.statusCode, 403);
  });

  test('the demo requests are seeded: waiting for complete learners, approved for issued badges', async () => {
    const created = await app.database.db
      .transaction()
      .execute((trx) => app.services.badgeRequests.seedDemoRequests(trx, loadDemoUniversity().learners));
    // 4 complete + 6 badge_issued enrolments, less the learner's own, already approved above.
    assert.equal(created, 9);
    const [waiting] = await requestsOf(
      'amara.chen@students.cascaderidge.example',
      'geographic-information-systems-gis',
    );
    assert.equal(waiting?.status, 'requested');
    const [issued] = await requestsOf('luis.ferreira@mail.example', 'project-management');
    assert.equal(issued?.status, 'approved');
  });

  test('the lead of another program cannot see its learners or decide its requests', async () => {
    const [request] = await requestsOf(
      'amara.chen@students.cascaderidge.example',
      'geographic-information-systems-gis',
    );
    const other = await as(lead);
    const refused = await other.postForm(`/progress/requests/${request!.id}/decision`, {
      decision: 'approve',
    });
    assert.equal(refused.statusCode, 403);
    assert.equal((await other.get('/progress/programs/geographic-information-systems-gis')).statusCode, 403);
    assert.doesNotMatch((await other.get('/progress/requests')).body, /Amara Chen/);
    const [unchanged] = await requestsOf(
      'amara.chen@students.cascaderidge.example',
      'geographic-information-systems-gis',
    );
    assert.equal(unchanged?.status, 'requested');
  });

  test('returning a request needs a comment, which reaches the learner', async () => {
    const [request] = await requestsOf(
      'amara.chen@students.cascaderidge.example',
      'geographic-information-systems-gis',
    );
    const browser = await as(lead2);
    const blank = await browser.postForm(`/progress/requests/${request!.id}/decision`, {
      decision: 'return',
      comment: '   ',
    });
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /is required to return a request/);
    assert.equal(
      (await requestsOf('amara.chen@students.cascaderidge.example', 'geographic-information-systems-gis'))[0]
        ?.status,
      'requested',
    );
    await assert.rejects(
      app.database.db
        .updateTable('badge_requests')
        .set({ status: 'returned', decided_by: request!.learner_id, decided_at: new Date(), comment: null })
        .where('id', '=', request!.id)
        .execute(),
      'the database refuses a returned request without a comment',
    );

    const returned = await browser.postForm(`/progress/requests/${request!.id}/decision`, {
      decision: 'return',
      comment: 'Please send the "final map" portfolio, too.',
    });
    assert.equal(returned.statusCode, 303);
    const [after] = await requestsOf(
      'amara.chen@students.cascaderidge.example',
      'geographic-information-systems-gis',
    );
    assert.equal(after?.status, 'returned');
    assert.equal(after?.comment, 'Please send the "final map" portfolio, too.');
    const mail = await latestMailTo('amara.chen@students.cascaderidge.example');
    assert.match(mail.subject, /needs attention/);
    assert.match(mail.text_body, /final map/);
  });

  test('signing off an applied experience makes the program met at once, and is audited', async () => {
    const tomas = 'tomas.herrera@students.cascaderidge.example';
    const slug = 'set-skills-for-cinema-production';
    const learner = await learnerId(tomas);
    await addCompletion(learner, 'FILM 441', 'B+', '2026-06-12');
    const before = await progressOf(tomas, slug);
    assert.equal(before.progress.met, false);
    assert.deepEqual(before.progress.missing, [
      'Crew placement on a faculty-mentored production (faculty sign-off)',
    ]);

    const browser = await as(lead);
    const page = `/progress/programs/${slug}/learners/${learner}`;
    const future = await browser.postForm(`${page}/experiences`, {
      key: 'on-set-placement',
      signedOffOn: '2027-01-10',
    });
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /cannot be in the future/);
    assert.equal((await progressOf(tomas, slug)).progress.met, false);

    const signed = await browser.postForm(`${page}/experiences`, {
      key: 'on-set-placement',
      signedOffOn: '2026-10-30',
      note: 'Second unit on "Alder Falls".',
    });
    assert.equal(signed.statusCode, 303);
    const afterSignOff = await progressOf(tomas, slug);
    assert.equal(afterSignOff.progress.met, true);
    assert.equal(afterSignOff.progress.status, 'complete');
    assert.match((await browser.get(page)).body, /signed off by Daniel Okafor, completed October 30, 2026/);
    const audit = await app.services.audit.list({
      action: 'progress.experience_signed_off',
      limit: 5,
      offset: 0,
    });
    assert.ok(audit.some((entry) => entry.entity_id === learner));

    const twice = await browser.postForm(`${page}/experiences`, {
      key: 'on-set-placement',
      signedOffOn: '2026-10-30',
    });
    assert.equal(twice.statusCode, 409);
  });

  test('an approved substitution counts toward the requirement', async () => {
    const slug = 'data-visualization';
    const learner = await learnerId(learnerEmail);
    await addCompletion(learner, 'MATH 211', 'B', '2026-06-12');
    assert.equal((await progressOf(learnerEmail, slug)).progress.met, false);

    const browser = await as(lead);
    const page = `/progress/programs/${slug}/learners/${learner}`;
    const unknown = await browser.postForm(`${page}/substitutions`, {
      requiredCourse: 'MATH 344',
      substituteCourse: 'MATH 999',
      reason: 'Equivalent',
    });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /MATH 999 is not a course in the catalog/);

    const approved = await browser.postForm(`${page}/substitutions`, {
      requiredCourse: 'MATH 344',
      substituteCourse: 'math 211',
      reason: 'Covers the same dashboard design outcomes.',
    });
    assert.equal(approved.statusCode, 303);
    const after = await progressOf(learnerEmail, slug);
    assert.equal(after.progress.met, true);
    assert.match((await browser.get(page)).body, /MATH 211 counts as MATH 344/);
    const audit = await app.services.audit.list({
      action: 'progress.substitution_approved',
      limit: 5,
      offset: 0,
    });
    assert.ok(audit.some((entry) => entry.entity_id === learner));

    // Now met, the learner may ask for this badge too.
    const dashboard = await (await as(learnerEmail)).get('/progress');
    assert.match(dashboard.body, /name="program" value="data-visualization"/);
  });

  test('a learner can withdraw an open request and ask again later', async () => {
    const browser = await as(learnerEmail);
    assert.equal(
      (await browser.postForm('/progress/requests', { program: 'data-visualization' })).statusCode,
      303,
    );
    const [open] = await requestsOf(learnerEmail, 'data-visualization');
    assert.equal(open?.status, 'requested');
    const someoneElse = await as(lead);
    assert.equal((await someoneElse.postForm(`/progress/requests/${open!.id}/withdraw`, {})).statusCode, 403);
    const withdrawn = await browser.postForm(`/progress/requests/${open!.id}/withdraw`, {});
    assert.equal(withdrawn.statusCode, 303);
    assert.equal((await requestsOf(learnerEmail, 'data-visualization'))[0]?.status, 'withdrawn');
    clock.set(`${today}T16:00:00Z`);
    assert.equal(
      (await browser.postForm('/progress/requests', { program: 'data-visualization' })).statusCode,
      303,
    );
    const statuses = (await requestsOf(learnerEmail, 'data-visualization')).map((request) => request.status);
    assert.deepEqual(statuses, ['withdrawn', 'requested']);
  });

  test('the lead view filters by status and search', async () => {
    const browser = await as(lead);
    const all = await browser.get('/progress/programs/data-visualization');
    assert.equal(all.statusCode, 200);
    assert.match(all.body, /Jordan Ellis/);
    assert.match(all.body, /Complete: <strong>1<\/strong>/);
    const stalled = await browser.get('/progress/programs/data-visualization?status=stalled');
    assert.match(stalled.body, /No learner matches these filters/);
    const search = await browser.get('/progress/programs/data-visualization?q=nobody-by-this-name');
    assert.match(search.body, /No learner matches these filters/);
    const index = await browser.get('/progress/programs');
    assert.match(index.body, /href="\/progress\/programs\/data-visualization"/);
    assert.doesNotMatch(index.body, /geographic-information-systems-gis/, 'only the programs the lead leads');
  });

  test('the CSV export has a header row and quotes awkward values properly', async () => {
    const slug = 'broadcast-news-production';
    const learner = newId();
    await app.database.db
      .insertInto('learners')
      .values({
        id: learner,
        email: 'pat.oneil@mail.example',
        name: 'O\'Neil, "Pat"',
        student_id: 'T0000001',
        status: 'non_degree_seeking',
      })
      .execute();
    await app.database.db
      .insertInto('enrolments')
      .values({
        id: newId(),
        learner_id: learner,
        program_id: await programId(slug),
        path: 'non_degree',
        enrolled_on: '2026-09-01',
      })
      .execute();
    await addCompletion(learner, 'COMM 241', 'A', '2026-10-01');

    const browser = await as(lead);
    const response = await browser.get(`/progress/programs/${slug}/export.csv`);
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/csv/);
    assert.match(
      String(response.headers['content-disposition']),
      /attachment; filename="broadcast-news-production-progress-2026-11-25\.csv"/,
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
    const otherLead = await as(lead2);
    assert.equal((await otherLead.get(`/progress/programs/${slug}/export.csv`)).statusCode, 403);
  });

  test('an approved request is marked issued once, inside the issuing transaction', async () => {
    const [request] = await requestsOf('luis.ferreira@mail.example', 'project-management');
    assert.equal(request?.status, 'approved');
    await app.database.db.transaction().execute(async (trx) => {
      const issued = await app.services.credentials.issueCredential(
        { system: 'test' },
        {
          programId: request!.program_id,
          learner: {
            email: 'luis.ferreira@mail.example',
            name: 'Luis Ferreira',
            learnerId: request!.learner_id,
          },
        },
        trx,
      );
      await app.services.badgeRequests.markIssued(request!.id, issued.id, trx);
    });
    const [after] = await requestsOf('luis.ferreira@mail.example', 'project-management');
    assert.equal(after?.status, 'issued');
    assert.ok(after?.credential_id);
    await assert.rejects(
      app.database.db
        .transaction()
        .execute((trx) => app.services.badgeRequests.markIssued(request!.id, after!.credential_id!, trx)),
      /Only an approved badge request/,
    );
  });
  test('a revoked badge cannot be requested again by the learner, who is told to ask the office', async () => {
    const browser = await as(learnerEmail);
    const [open] = await requestsOf(learnerEmail, 'persuasive-communication');
    assert.equal(open?.status, 'approved');
    const issuedId = await app.database.db.transaction().execute(async (trx) => {
      const issued = await app.services.credentials.issueCredential(
        { system: 'test' },
        {
          programId: open!.program_id,
          learner: { email: learnerEmail, name: 'Jordan Ellis', learnerId: open!.learner_id },
        },
        trx,
      );
      await app.services.badgeRequests.markIssued(open!.id, issued.id, trx);
      return issued.id;
    });
    const again = await browser.postForm('/progress/requests', { program: 'persuasive-communication' });
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /already issued/);

    await app.services.credentials.changeStatus({ system: 'test' }, issuedId, 'revoke', 'Issued in error.');
    const refused = await browser.postForm('/progress/requests', { program: 'persuasive-communication' });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /was revoked, so it cannot be requested again here/);
    const statuses = (await requestsOf(learnerEmail, 'persuasive-communication')).map((r) => r.status);
    assert.deepEqual(statuses, ['issued'], 'no new request is stored');
  });

  test('a program with 2,000 enrolled learners is evaluated in one call (smoke test, no timing)', async () => {
    const slug = 'wine-business-essentials';
    const program = await programId(slug);
    const courses = ['PDC 170', 'PDC 171', 'PDC 172'];
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

    const browser = await as(lead);
    const page = await browser.get(`/progress/programs/${slug}?status=complete`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /500 of 2000 match/);
    assert.match(page.body, /Page 1 of 10/);
    const csv = await browser.get(`/progress/programs/${slug}/export.csv`);
    assert.equal((parse(csv.body, { bom: true }) as string[][]).length, 2001);
  });
});
