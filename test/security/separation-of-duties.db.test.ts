// Audit point 6: nobody decides on their own proposal, badge request or tracking list. A person holding the
// lead, approver and credentials-office roles at once tries every step of their own proposal through the real
// HTTP routes; each own decision is refused, and the chain completes only when another person decides.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '../../src/platform/actor.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { newId } from '../../src/platform/ids.ts';
import type { Role } from '../../src/platform/roles.ts';
import { prepareCohort } from '../support/cohort-fixture.ts';
import { completeFullProposal } from '../support/full-proposals.ts';
import { commitThroughConfirmation, listIdFrom, listStatus, textOf, uploadList } from '../support/issuing.ts';
import { newPerson } from '../support/learners.ts';
import { proposalValues, syllabus } from '../support/programs.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

type Person = Awaited<ReturnType<typeof newPerson>>;

describe(`separation of duties on ${testBackend}`, () => {
  let app: TestApp;
  /** Lead, approver and credentials office at once: the person the audit saw approve their own proposal. */
  let author: Person;
  /** Another approver and credentials-office member. */
  let other: Person;

  const actorOf = (person: Person, name: string, roles: Role[]): Actor => ({
    id: person.id,
    name,
    email: person.email,
    roles,
  });
  const statusOf = async (programId: string) =>
    (
      await app.database.db
        .selectFrom('programs')
        .select('status')
        .where('id', '=', programId)
        .executeTakeFirstOrThrow()
    ).status;
  const act = (person: Person, programId: string, action: string, comment = '') =>
    person.browser.postForm(`/programs/${programId}/actions`, { action, ...(comment ? { comment } : {}) });

  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });
    author = await newPerson(app, 'Rowan Both', ['program_lead', 'approver', 'credentials_office']);
    other = await newPerson(app, 'Imani Other', ['approver', 'credentials_office']);
  });
  after(() => app.close());

  /** A proposal the author drafted, had signed by someone else and submitted, through the real routes. */
  const submittedProposal = async () => {
    const lead = actorOf(author, 'Rowan Both', ['program_lead', 'approver', 'credentials_office']);
    const signer = await newPerson(app, 'Sam Signer');
    const id = await app.services.programs.drafting.draftProposal(lead, proposalValues(), [syllabus()]);
    await app.services.programs.signatures.addSigner(lead, id, {
      email: signer.email,
      roleLabel: 'Supervisor',
    });
    assert.equal((await act(author, id, 'request_signatures')).statusCode, 303);
    assert.equal((await act(signer, id, 'sign')).statusCode, 303);
    assert.equal((await act(author, id, 'submit')).statusCode, 303);
    assert.equal(await statusOf(id), 'submitted');
    return id;
  };

  test('the author of a proposal decides none of its steps; another person takes it to Established', async () => {
    const id = await submittedProposal();
    // The credentials office is asked to review it, but not the author, who holds that role too.
    const asked = await app.services.notifications.list({ to: author.email, limit: 50 });
    assert.ok(!asked.some((m) => /^Proposal submitted/.test(m.subject)), 'the author is not asked to review');
    assert.ok(
      (await app.services.notifications.list({ to: other.email, limit: 50 })).some((m) =>
        /^Proposal submitted/.test(m.subject),
      ),
    );

    // The author's own pilot decision and request for changes are refused, and the page says why.
    for (const [action, comment] of [
      ['approve_pilot', ''],
      ['request_changes', 'Please tighten the outcomes.'],
    ] as const) {
      const refused = await act(author, id, action, comment);
      assert.equal(refused.statusCode, 403, `${action}: ${refused.statusCode}`);
      assert.match(textOf(refused.body), /another approver must decide this step/);
      assert.equal(await statusOf(id), 'submitted');
    }
    const page = textOf((await author.browser.get(`/programs/${id}`)).body);
    assert.doesNotMatch(page, /Approve for pilot/);
    assert.match(page, /another approver must decide this step/);
    // The inbox shows it as waiting for someone else, not as the author's to decide.
    const inbox = await author.browser.get('/inbox');
    assert.match(textOf(inbox.body), /waiting for another approver/i);
    assert.match(textOf((await other.browser.get('/inbox')).body), /Submitted by Rowan Both/);

    assert.equal((await act(other, id, 'approve_pilot')).statusCode, 303);
    assert.equal(await statusOf(id), 'pilot');

    await completeFullProposal(
      app,
      actorOf(author, 'Rowan Both', ['program_lead', 'approver', 'credentials_office']),
      id,
    );
    assert.equal((await act(author, id, 'submit_full_proposal', 'Three good pilot years.')).statusCode, 303);
    assert.equal(await statusOf(id), 'full_proposal_review');
    const chain = await app.services.programs.chains.current();
    for (const step of chain.full.steps) {
      for (const [action, comment] of [
        ['approve_step', ''],
        ['reject', 'Not yet.'],
      ] as const) {
        const refused = await act(author, id, action, comment);
        assert.equal(refused.statusCode, 403, `${step.name} ${action}: ${refused.statusCode}`);
        assert.equal(await statusOf(id), 'full_proposal_review');
      }
      assert.equal((await act(other, id, 'approve_step')).statusCode, 303, step.name);
    }
    assert.equal(await statusOf(id), 'established');
    const decidedBy = await app.database.db
      .selectFrom('approval_steps')
      .select('decided_by')
      .where('program_id', '=', id)
      .execute();
    assert.equal(decidedBy.length, chain.pilot.steps.length + chain.full.steps.length);
    assert.ok(decidedBy.every((row) => row.decided_by === other.id));
  });

  test('a staff member who is also a learner cannot decide their own badge request, on the page or by post', async () => {
    const staffLearner = await newPerson(app, 'Kai Staff-Learner', ['learner', 'credentials_office']);
    const db = app.database.db;
    const program = await db
      .selectFrom('programs')
      .select(['id', 'slug'])
      .where('slug', '=', 'persuasive-communication')
      .executeTakeFirstOrThrow();
    const courses = await db
      .selectFrom('program_courses')
      .select('course_code')
      .where('program_id', '=', program.id)
      .execute();
    const learnerId = newId();
    await db
      .insertInto('learners')
      .values({
        id: learnerId,
        user_id: staffLearner.id,
        email: staffLearner.email,
        name: 'Kai Staff-Learner',
        student_id: `S${newId().slice(0, 8)}`,
        status: 'current',
      })
      .execute();
    await db
      .insertInto('enrolments')
      .values({
        id: newId(),
        learner_id: learnerId,
        program_id: program.id,
        path: 'current',
        enrolled_on: '2026-01-10',
      })
      .execute();
    await db
      .insertInto('completions')
      .values(
        courses.map((c) => ({
          id: newId(),
          learner_id: learnerId,
          course_code: c.course_code,
          term: '2026 Summer',
          grade: 'P',
          credits: 0,
          completed_on: '2026-08-15',
        })),
      )
      .execute();
    assert.equal(
      (await staffLearner.browser.postForm('/progress/requests', { program: program.slug })).statusCode,
      303,
    );
    const request = await db
      .selectFrom('badge_requests')
      .select(['id', 'status'])
      .where('learner_id', '=', learnerId)
      .executeTakeFirstOrThrow();

    const review = await staffLearner.browser.get('/progress/requests');
    assert.equal(review.statusCode, 200);
    assert.doesNotMatch(review.body, new RegExp(`/progress/requests/${request.id}/decision`));
    assert.match(textOf(review.body), /your own request: another person must decide it/i);
    const refused = await staffLearner.browser.postForm(`/progress/requests/${request.id}/decision`, {
      decision: 'approve',
    });
    assert.equal(refused.statusCode, 403);
    // Nor do they approve a course substitution on their own record (faculty verification).
    const substitution = await staffLearner.browser.postForm(
      `/progress/programs/${program.slug}/learners/${learnerId}/substitutions`,
      {
        requiredCourse: courses[0]!.course_code,
        substituteCourse: courses[1]!.course_code,
        reason: 'Equivalent.',
      },
    );
    assert.equal(substitution.statusCode, 403);
    const otherReview = await other.browser.get('/progress/requests');
    assert.match(otherReview.body, new RegExp(`/progress/requests/${request.id}/decision`));
    assert.equal(
      (await other.browser.postForm(`/progress/requests/${request.id}/decision`, { decision: 'approve' }))
        .statusCode,
      303,
    );
  });

  test('the person who uploaded a tracking list cannot commit it; another member of the office can', async () => {
    const uploader = await newPerson(app, 'Lee Uploader', ['credentials_office']);
    const cohort = await prepareCohort(app, 2, `sod${newId().slice(0, 4)}`);
    const listId = listIdFrom(await uploadList(app, uploader.browser, 'cohort.csv', cohort.csv));

    const view = textOf((await uploader.browser.get(`/issuing/tracking-lists/${listId}`)).body);
    assert.match(view, /You uploaded this list: another person/);
    const refused = await commitThroughConfirmation(uploader.browser, listId);
    assert.equal(refused.statusCode, 403);
    assert.equal(await listStatus(app, listId), 'preview');

    const committed = await commitThroughConfirmation(other.browser, listId);
    assert.equal(committed.statusCode, 303);
    assert.equal(await listStatus(app, listId), 'queued');
  });
  // Last in the file: it takes the deciding roles away from everyone but the author.
  test('when only the author holds the deciding role, the step says it needs another approver, and the office sees it', async () => {
    const id = await submittedProposal();
    const title = (
      await app.database.db
        .selectFrom('programs')
        .select('title')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).title;
    await app.database.db
      .deleteFrom('user_roles')
      .where('role', 'in', ['approver', 'credentials_office'])
      .where('user_id', '!=', author.id)
      .execute();
    const page = textOf((await author.browser.get(`/programs/${id}`)).body);
    assert.match(page, /Needs an approver other than the author/);
    assert.match(
      textOf((await author.browser.get('/inbox')).body),
      /needs an approver other than the author/,
    );
    const admin = await newPerson(app, 'Ada Admin', ['admin']);
    const inbox = textOf((await admin.browser.get('/inbox')).body);
    assert.match(inbox, new RegExp(`Needs an approver other than the author .*${title}`));
    const overdue = textOf((await admin.browser.get('/programs/overdue')).body);
    assert.match(overdue, new RegExp(`Needs an approver other than the author \\(\\d+\\) .*${title}`));
    assert.equal((await act(author, id, 'approve_pilot')).statusCode, 403);
  });
});
