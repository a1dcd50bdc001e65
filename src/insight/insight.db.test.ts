import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aLearner,
  anEnrolment,
  anInstitution,
  anIssuedBadge,
  aProgram,
  aStaffMember,
  type BuiltProgram,
  type Person,
} from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { readCsv } from '../platform/csv.ts';

/** The cells of the table with this caption on a page, row by row, as a person reads them. */
function tableCells(html: string, caption: string): string[][] {
  const at = html.indexOf(`<caption>${caption}</caption>`);
  assert.ok(at > 0, `the page has a table "${caption}"`);
  const table = html.slice(at, html.indexOf('</table>', at));
  const body = table.slice(table.indexOf('<tbody>'));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((cell) =>
      cell[1]!.replace(/&amp;/g, '&').replace(/&#x27;|&#39;/g, "'"),
    ),
  );
}

describe(`a program's insight page on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;
  let program: BuiltProgram;
  let keptBadge: Awaited<ReturnType<typeof anIssuedBadge>>;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    lead = await aStaffMember(app, 'program_lead');
    program = await aProgram(app, { title: 'Care & Repair', lead, feeCents: 4000 });
    const registrar = await aStaffMember(app, 'registrar');
    await app.services.structure.saveOne(
      registrar,
      'terms',
      { code: 'T2025F', name: 'Autumn 2025', startsOn: '2025-08-25', endsOn: '2025-12-12' },
      'create',
    );
    // Two learners finish (builders enrol them on 1 September 2025); one of the badges is later revoked.
    const kept = await anIssuedBadge(app, { program });
    const revoked = await anIssuedBadge(app, { program });
    await app.services.credentials.changeStatus(registrar, revoked.credentialId, 'revoke', 'Issued in error');
    // The kept one's learner accepts it (its page is public by default): it counts as shared.
    await app.services.backpack.accept(kept.learner.account!, kept.credentialId);
    keptBadge = kept;
    // A third enrolled through the non-degree path and withdrew.
    await anEnrolment(app, await aLearner(app), program, { path: 'non_degree', status: 'withdrawn' });
  });
  after(() => app.close());

  test('its lead sees the figures, a chart with its title and description, and tables beside it', async () => {
    const browser = await lead.signIn();
    const page = await browser.get(`/programs/${program.id}/insight`);
    assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    assert.match(page.body, /<svg role="img" aria-labelledby="(chart-[0-9a-f]+)-title \1-desc"/);
    assert.match(
      page.body,
      /<title id="chart-[0-9a-f]+-title">Enrolments and completions per term, Care &#38; Repair<\/title>/,
    );
    assert.deepEqual(tableCells(page.body, 'Enrolments and completions per term'), [
      ['Autumn 2025', '3', '1'],
    ]);
    const outcomes = Object.fromEntries(tableCells(page.body, 'Outcomes').map(([k, v]) => [k, v]));
    assert.equal(outcomes['Learners enrolled'], '3');
    assert.equal(outcomes.Withdrew, '1');
    assert.equal(outcomes['Completed (badges that stand)'], '1');
    assert.equal(outcomes['Completion rate'], '33.3%');
    const badges = Object.fromEntries(tableCells(page.body, 'Badges').map(([k, v]) => [k, v]));
    assert.equal(badges.Issued, '2');
    assert.equal(badges['Claimed by the learner'], '1');
    assert.equal(badges['Shared (accepted, page public)'], '1');
    assert.equal(badges.Revoked, '1');
    const paths = Object.fromEntries(
      tableCells(page.body, 'Learners by enrolment path').map(([k, v]) => [k, v]),
    );
    assert.equal(paths['Non-degree learners'], '1');
    assert.equal(paths['Current students'], '2');
  });

  test('a badge its learner hides is no longer counted as shared, on the page and in the file', async () => {
    const browser = await lead.signIn();
    const shared = async () => {
      const page = (await browser.get(`/programs/${program.id}/insight`)).body;
      const csv = readCsv((await browser.get(`/programs/${program.id}/insight/badges.csv`)).body);
      const inFile = csv.find((r) => r.fields[0] === 'Shared (accepted, page public)')?.fields[1];
      const onPage = tableCells(page, 'Badges').find(([k]) => k === 'Shared (accepted, page public)')?.[1];
      assert.equal(inFile, onPage);
      return onPage;
    };
    const learner = keptBadge.learner.account!;
    await app.services.backpack.setPublic(learner, keptBadge.credentialId, false);
    assert.equal(await shared(), '0');
    await app.services.backpack.setPublic(learner, keptBadge.credentialId, true);
    assert.equal(await shared(), '1');
  });

  test("the program's page links its lead to the figures", async () => {
    const browser = await lead.signIn();
    const page = await browser.get(`/programs/${program.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`<a href="/programs/${program.id}/insight">How it is doing</a>`));
  });

  test('each export holds exactly the numbers of its table on the page', async () => {
    const browser = await lead.signIn();
    const page = (await browser.get(`/programs/${program.slug}/insight`)).body;
    for (const [key, caption] of [
      ['terms', 'Enrolments and completions per term'],
      ['paths', 'Learners by enrolment path'],
      ['outcomes', 'Outcomes'],
      ['badges', 'Badges'],
    ] as const) {
      const file = await browser.get(`/programs/${program.id}/insight/${key}.csv`);
      assert.equal(file.statusCode, 200, key);
      assert.match(String(file.headers['content-type']), /^text\/csv/);
      const [header, ...records] = readCsv(file.body).map((r) => r.fields);
      assert.equal(header?.length, records[0]?.length ?? header?.length, key);
      assert.deepEqual(records, tableCells(page, caption), key);
    }
    // Money differs only in how it is written: a currency on the page, a plain decimal in the file.
    const fees = readCsv((await browser.get(`/programs/${program.id}/insight/fees.csv`)).body)
      .slice(1)
      .map((r) => r.fields);
    const onPage = tableCells(page, 'Fees');
    assert.deepEqual(
      fees.map((row) => row[0]),
      onPage.map((row) => row[0]),
    );
    assert.deepEqual(
      onPage.map((row) => row[1]),
      fees.map((row) => `$${row[1]}`),
    );
  });

  test("another program's lead, the registrar and a learner are refused", async () => {
    for (const person of [
      await aStaffMember(app, 'program_lead'),
      await aStaffMember(app, 'registrar'),
      await aStaffMember(app, 'learner'),
    ]) {
      const browser = await person.signIn();
      for (const url of [`/programs/${program.id}/insight`, `/programs/${program.id}/insight/fees.csv`]) {
        const response = await browser.get(url);
        assert.equal(response.statusCode, 403, `${person.roles} at ${url}`);
        assert.doesNotMatch(response.body, /Care &amp; Repair|Care & Repair/);
      }
    }
  });

  test('an approver sees any program; an unknown program is a plain 404', async () => {
    const browser = await (await aStaffMember(app, 'approver')).signIn();
    assert.equal((await browser.get(`/programs/${program.id}/insight`)).statusCode, 200);
    assert.equal((await browser.get('/programs/no-such-program/insight')).statusCode, 404);
    assert.equal((await browser.get(`/programs/${program.id}/insight/other.csv`)).statusCode, 400);
  });
});
