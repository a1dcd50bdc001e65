import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { demo } from '../../test/support/programs.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { DEMO_PASSWORD } from '../demo/demo-data.ts';

const page = '/admin/approval-chains/full_proposal';

/** The step names of the chain page, in the order shown. */
const stepsShown = (html: string) => [...html.matchAll(/<h3>Step \d+: ([^<]+)<\/h3>/g)].map((m) => m[1]);

describe(`approval chain pages on ${testBackend}`, () => {
  let app: TestApp;
  let admin: BrowserSession;

  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false });
    admin = new BrowserSession(app);
    await admin.login(demo.admin, DEMO_PASSWORD);
  });
  after(() => app.close());

  test('administrators only: others are refused, visitors sent to sign in', async () => {
    const office = new BrowserSession(app);
    await office.login(demo.credentials, DEMO_PASSWORD);
    assert.equal((await office.get('/admin/approval-chains')).statusCode, 403);
    assert.equal((await office.get(page)).statusCode, 403);
    const posted = await office.postForm(`${page}/steps`, { name: 'Board', role: 'approver' });
    assert.equal(posted.statusCode, 403);
    const anonymous = await app.http.inject({ url: '/admin/approval-chains' });
    assert.equal(anonymous.statusCode, 303);
  });

  test('the list shows both chains with their steps, linking to each', async () => {
    const list = await admin.get('/admin/approval-chains');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /<a href="\/admin\/approval-chains\/pilot">Pilot approval<\/a>/);
    assert.match(list.body, /<a href="\/admin\/approval-chains\/full_proposal">Full proposal approval<\/a>/);
    assert.match(list.body, /Interdisciplinary sub-committee/);
    assert.doesNotMatch(list.body, /under review on this chain;/);
    // The demo workflow submits the podcast proposal: it is then reviewed under its own copy of the pilot chain.
    await app.services.programs.seedDemoWorkflow();
    const later = await admin.get('/admin/approval-chains');
    assert.match(later.body, /1 proposal is under review on this chain; it keeps the steps as they were/);
    assert.equal((await admin.get('/admin/approval-chains/budget')).statusCode, 404);
  });

  test('a step is added at a chosen place with a plain form, which needs its CSRF token', async () => {
    const refused = await admin.postForm(
      `${page}/steps`,
      { name: 'Board', role: 'approver' },
      { csrf: false },
    );
    assert.equal(refused.statusCode, 403);
    const added = await admin.postForm(`${page}/steps`, {
      name: 'Board of Governors',
      role: 'admin',
      position: '2',
    });
    assert.equal(added.statusCode, 303);
    assert.equal(added.headers.location, `${page}?done=step_added`);
    const shown = await admin.get(String(added.headers.location));
    assert.match(shown.body, /The step is added/);
    assert.deepEqual(stepsShown(shown.body), [
      'Interdisciplinary sub-committee',
      'Board of Governors',
      'Faculty Senate committees',
      'Faculty Senate',
      'Provost',
    ]);
  });

  test('steps move, change and go, each change audited', async () => {
    const moved = await admin.postForm(`${page}/steps/board_of_governors/move`, { direction: 'down' });
    assert.equal(moved.statusCode, 303);
    assert.deepEqual(stepsShown((await admin.get(page)).body).slice(1, 3), [
      'Faculty Senate committees',
      'Board of Governors',
    ]);
    const changed = await admin.postForm(`${page}/steps/board_of_governors`, {
      name: 'Board of Regents',
      role: 'approver',
    });
    assert.equal(changed.statusCode, 303);
    assert.match((await admin.get(page)).body, /Step 3: Board of Regents/);
    const removed = await admin.postForm(`${page}/steps/board_of_governors/remove`, {});
    assert.equal(removed.statusCode, 303);
    assert.equal(stepsShown((await admin.get(page)).body).length, 4);

    const audit = await app.services.audit.list({
      entityType: 'approval_chain',
      entityId: 'full_proposal',
      limit: 10,
      offset: 0,
    });
    assert.deepEqual(audit.map((e) => e.action).slice(0, 4), [
      'approval_chain.step_removed',
      'approval_chain.step_changed',
      'approval_chain.step_moved',
      'approval_chain.step_added',
    ]);
  });

  test('problems are shown beside the field of the form they belong to, with what was typed', async () => {
    const response = await admin.postForm(`${page}/steps`, { name: '  ', role: 'dean', position: 'x' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /There is a problem/);
    assert.match(response.body, /<a href="#add-name">Approving body is required<\/a>/);
    assert.match(response.body, /id="add-name-error">Approving body is required\./);
    assert.match(
      response.body,
      /id="add-role-error">Decision recorded by must be one of the roles offered\./,
    );
    assert.match(
      response.body,
      /id="add-position-error">Place in the chain must be one of the places offered\./,
    );
    assert.match(response.body, /id="add-name" name="name" type="text" value=" {2}"[^>]*aria-invalid="true"/);

    const duplicate = await admin.postForm(`${page}/steps/provost`, {
      name: 'faculty senate',
      role: 'approver',
    });
    assert.equal(duplicate.statusCode, 400);
    assert.match(duplicate.body, /id="step-provost-name" name="name" type="text" value="faculty senate"/);
    assert.match(duplicate.body, /is already the name of another step in this chain/);
    assert.doesNotMatch(duplicate.body, /id="add-name-error"/);

    const tooLong = await admin.postForm(`${page}/name`, { chain_name: 'x'.repeat(121) });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /id="chain_name-error">Name of the chain must be at most 120 characters\./);
  });

  test('the last step cannot be removed, and a step that is gone is not found', async () => {
    const last = await admin.postForm('/admin/approval-chains/pilot/steps/faculty_senate/remove', {});
    assert.equal(last.statusCode, 422);
    assert.match(last.body, /A chain needs at least one step/);
    assert.equal(
      (await admin.postForm('/admin/approval-chains/pilot/steps/nobody/move', { direction: 'up' }))
        .statusCode,
      404,
    );
  });
});
