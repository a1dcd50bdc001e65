// Issue 17, governance points 1 and 2, through the real HTTP routes: a program lead cannot put a substantive
// change to an approved program live without its approval chain, cannot approve their own change (even holding
// the approver role), and cannot retire an established program alone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../support/browser-session.ts';
import { anAccount, aProgram, aStaffMember, type Person } from '../support/builders.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

/** The edit form as a browser posts it (multipart, fields only), with the CSRF token in the query. */
async function postEdit(
  app: TestApp,
  browser: BrowserSession,
  id: string,
  fields: Record<string, string | string[]>,
) {
  const boundary = '----stackableprogramchanges';
  const parts = Object.entries(fields).flatMap(([name, value]) =>
    [value]
      .flat()
      .map((one) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${one}\r\n`),
  );
  return app.http.inject({
    method: 'POST',
    url: `/programs/${id}/edit?_csrf=${encodeURIComponent(await browser.csrfToken())}`,
    payload: `${parts.join('')}--${boundary}--\r\n`,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  });
}

/** The values an edit form shows, read from its inputs and text areas. */
function formValues(html: string): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const m of html.matchAll(/<input[^>]*?name="([a-z_]+)"[^>]*?value="([^"]*)"[^>]*>/g)) {
    const [tag, name, value] = m as unknown as [string, string, string];
    if (/type="(checkbox|radio)"/.test(tag) && !/checked/.test(tag)) continue;
    const before = values[name];
    values[name] = before === undefined ? value : [before, value].flat();
  }
  for (const m of html.matchAll(/<textarea[^>]*?name="([a-z_]+)"[^>]*>([^<]*)<\/textarea>/g)) {
    values[m[1]!] = m[2]!.replaceAll('&amp;', '&').replaceAll('&quot;', '"');
  }
  for (const m of html.matchAll(
    /<select[^>]*?name="([a-z_]+)"[\s\S]*?<option[^>]*?value="([^"]*)"[^>]*selected/g,
  )) {
    values[m[1]!] = m[2]!;
  }
  return values;
}

describe(`changes and retirement of approved programs on ${testBackend}`, () => {
  let app: TestApp;
  /** Leads the programs and also holds the approver role: the person most tempted to wave a change through. */
  let lead: Person;
  let browser: BrowserSession;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    lead = await anAccount(app, { roles: ['program_lead', 'approver'] });
    browser = await lead.signIn();
  });
  after(() => app.close());

  const publicFee = async (slug: string) => (await app.services.catalog.programPage(slug)).feeCents;

  test('a lead cannot publish a substantive change without approval, nor approve it themselves', async () => {
    const program = await aProgram(app, { lead, feeCents: 1000 });
    const form = await browser.get(`/programs/${program.id}/edit`);
    assert.equal(form.statusCode, 200);
    const saved = await postEdit(app, browser, program.id, { ...formValues(form.body), fee: '250.00' });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
    assert.equal(saved.headers.location, `/programs/${program.id}?done=change_proposed`);
    assert.equal(await publicFee(program.slug), 1000, 'the fee is not live');

    const submitted = await browser.postForm(`/programs/${program.id}/change`, { action: 'submit' });
    assert.equal(submitted.statusCode, 303);
    const page = await browser.get(`/programs/${program.id}`);
    assert.doesNotMatch(page.body, /Approve the change/, 'no approval button is offered to its author');
    const own = await browser.postForm(`/programs/${program.id}/change`, { action: 'approve_step' });
    assert.equal(own.statusCode, 403);
    assert.equal(await publicFee(program.slug), 1000, 'still not live after the refused approval');

    const approver = await aStaffMember(app, 'approver');
    const other = await approver.signIn();
    assert.equal(
      (await other.postForm(`/programs/${program.id}/change`, { action: 'approve_step' })).statusCode,
      303,
    );
    assert.equal(await publicFee(program.slug), 25_000);
  });

  test('a lead cannot retire their established program alone, by any route', async () => {
    const program = await aProgram(app, { lead });
    assert.equal((await browser.get(`/programs/${program.id}/retire`)).statusCode, 403);
    const posted = await browser.postForm(`/programs/${program.id}/retire`, {
      reason: 'Mine.',
      confirm: 'yes',
    });
    assert.equal(posted.statusCode, 403);
    const action = await browser.postForm(`/programs/${program.id}/actions`, {
      action: 'retire',
      comment: 'Mine.',
    });
    assert.notEqual(action.statusCode, 303);
    const status = await app.database.db
      .selectFrom('programs')
      .select('status')
      .where('id', '=', program.id)
      .executeTakeFirstOrThrow();
    assert.equal(status.status, 'established');
  });
});
