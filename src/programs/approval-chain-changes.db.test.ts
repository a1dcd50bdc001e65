import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aStaffMember } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { formatMoment } from '../platform/http/moment.ts';

describe(`when an approval chain last changed, on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  /** One chain's card on the list: from its link to the next card (its steps are list items too). */
  const cardOf = (html: string, key: string) => {
    const start = html.indexOf(`href="/admin/approval-chains/${key}"`);
    assert.ok(start >= 0, `the list shows the ${key} chain`);
    const end = html.indexOf('class="card"', start);
    return html.slice(start, end < 0 ? undefined : end);
  };

  test('chains nobody has changed say so, not the time the database was set up', async () => {
    const admin = await aStaffMember(app, 'admin');
    const list = (await (await admin.signIn()).get('/admin/approval-chains')).body;
    for (const key of ['pilot', 'full_proposal', 'modification']) {
      const card = cardOf(list, key);
      assert.match(card, /Not changed since setup\./, key);
      assert.doesNotMatch(card, /Last changed/, key);
    }
  });

  test('a chain an administrator changed shows when and who; the others still say they are unchanged', async () => {
    const admin = await aStaffMember(app, 'admin', { name: 'Alma Chainwright' });
    await app.services.programs.chains.editChain(admin, 'pilot', {
      kind: 'rename_chain',
      name: 'Senate pilot approval',
    });
    const [entry] = await app.services.audit.list({
      entityType: 'approval_chain',
      entityId: 'pilot',
      limit: 1,
      offset: 0,
    });
    assert.ok(entry, 'the change is in the audit log');

    const list = (await (await admin.signIn()).get('/admin/approval-chains')).body;
    const pilot = cardOf(list, 'pilot');
    assert.ok(
      pilot.includes(`Last changed ${formatMoment(new Date(entry.at))} by Alma Chainwright.`),
      `the pilot card names the change: ${pilot}`,
    );
    assert.match(cardOf(list, 'full_proposal'), /Not changed since setup\./);

    const page = (await (await admin.signIn()).get('/admin/approval-chains/pilot')).body;
    assert.ok(page.includes(`Last changed ${formatMoment(new Date(entry.at))} by Alma Chainwright.`));
  });

  test('what the last action did is said right under the heading, above the chain’s description', async () => {
    const admin = await (await aStaffMember(app, 'admin')).signIn();
    const page = (await admin.get('/admin/approval-chains/full_proposal?done=step_added')).body;
    const notice = page.indexOf('notice-ok');
    assert.ok(notice > page.indexOf('<h1>'), 'a notice is shown after the heading');
    assert.ok(notice < page.indexOf('Last changed') || page.indexOf('Last changed') < 0);
    assert.ok(notice < page.indexOf('Not changed since setup'), 'and before the facts about the chain');
  });
});
