import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aBadgeRequest,
  aLearner,
  anAccount,
  anEnrolment,
  anIssuedBadge,
  aProgram,
  aStaffMember,
  type BuiltProgram,
  type Person,
} from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { formatDay } from '../platform/http/moment.ts';

/** The lead's table as a person reads it: one row per program, its cells' text. */
function ledRows(html: string): string[][] {
  const at = html.indexOf('id="led-heading"');
  assert.ok(at > 0, 'the page has the lead’s programs');
  const body = html.slice(html.indexOf('<tbody>', at), html.indexOf('</tbody>', at));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((cell) => cell[1]!.replace(/<[^>]+>/g, '')),
  );
}

/** Each queue section's lines, by the section's id: "count label". */
function queueLines(html: string, id: string): string[] | undefined {
  const at = html.indexOf(`id="${id}"`);
  if (at < 0) return undefined;
  const section = html.slice(at, html.indexOf('</section>', at));
  return [...section.matchAll(/<strong class="queue-count[^"]*">(\d+)<\/strong> ([^<]+)<\/a>/g)].map(
    (m) => `${m[1]} ${m[2]}`,
  );
}

describe(`the staff home as a dashboard on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;
  let busy: BuiltProgram;
  let quiet: BuiltProgram;
  let pilot: BuiltProgram;
  let firstBadge: Awaited<ReturnType<typeof anIssuedBadge>>;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    lead = await anAccount(app, { roles: ['program_lead'] });
    busy = await aProgram(app, { title: 'Busy Dashboard Program', lead });
    // Retired: nothing falls due on it any more.
    quiet = await aProgram(app, { title: 'Quiet Dashboard Program', lead, status: 'retired' });
    const startedOn = new Date(Date.now() - 300 * 86_400_000).toISOString().slice(0, 10);
    pilot = await aProgram(app, {
      title: 'Pilot Dashboard Program',
      lead,
      status: 'pilot',
      pilotStartedOn: startedOn,
      pilotStartYear: Number(startedOn.slice(0, 4)),
    });
    // Busy: two badges issued, one request waiting, one learner still working and one who withdrew.
    firstBadge = await anIssuedBadge(app, { program: busy });
    await anIssuedBadge(app, { program: busy });
    await aBadgeRequest(app, { program: busy });
    await anEnrolment(app, await aLearner(app), busy);
    await anEnrolment(app, await aLearner(app), busy, { status: 'withdrawn' });
    // Quiet: one learner who finished by the student record, no badge yet.
    await anEnrolment(app, await aLearner(app), quiet, { status: 'completed' });
  });
  after(() => app.close());

  test('a lead sees each program’s learners, badges and next due date, counted from the records', async () => {
    const page = (await (await lead.signIn()).get('/home')).body;
    assert.match(page, /Programs I lead \(3\)/);
    // The due dates are the programs module's: the earliest review or decision it lists for each program.
    const duties = await app.services.pilotReviews.dueForLead(lead, 3660);
    const dueOf = (program: BuiltProgram) =>
      [...duties.overdue, ...duties.dueSoon]
        .filter((d) => d.programId === program.id)
        .map((d) => d.dueOn)
        .sort()[0];
    // The table writes the day as people read it ('August 31, 2027'), like the list of what is due above it.
    const shownDueOf = (program: BuiltProgram) => {
      const due = dueOf(program);
      return due === undefined ? undefined : formatDay(due);
    };
    assert.ok(dueOf(pilot), 'the pilot has a review ahead');
    assert.ok(dueOf(busy), 'the established program has a periodic review ahead');
    assert.equal(dueOf(quiet), undefined, 'nothing falls due on a retired program');
    assert.deepEqual(ledRows(page), [
      // Program, state, enrolled, completing, completed, badges issued, next due
      ['Busy Dashboard Program', 'Established', '4', '1', '0', '2', shownDueOf(busy)],
      ['Pilot Dashboard Program', 'Pilot', '0', '0', '0', '0', shownDueOf(pilot)],
      ['Quiet Dashboard Program', 'Retired (no longer offered)', '1', '0', '1', '0', '—'],
    ]);
  });

  test('the table sorts by any column from the address, and says which way', async () => {
    const browser = await lead.signIn();
    const byBadges = (await browser.get('/home?sort=badges&order=desc')).body;
    assert.deepEqual(
      ledRows(byBadges).map((r) => r[0]),
      ['Busy Dashboard Program', 'Pilot Dashboard Program', 'Quiet Dashboard Program'],
    );
    assert.match(byBadges, /aria-sort="descending"><a href="\/home\?sort=badges&amp;order=asc#led-heading">/);
    const byCompleted = (await browser.get('/home?sort=completed')).body;
    assert.equal(ledRows(byCompleted)[0]![0], 'Quiet Dashboard Program', 'counts sort largest first');
    const soonest = ledRows((await browser.get('/home?sort=due')).body).map((r) => r[0]);
    assert.deepEqual(soonest, [
      'Pilot Dashboard Program',
      'Busy Dashboard Program',
      'Quiet Dashboard Program',
    ]);
    const latest = ledRows((await browser.get('/home?sort=due&order=desc')).body).map((r) => r[0]);
    assert.deepEqual(
      latest,
      ['Busy Dashboard Program', 'Pilot Dashboard Program', 'Quiet Dashboard Program'],
      'nothing due goes last either way',
    );
    const wrong = await browser.get('/home?sort=salary');
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /<strong>Sort<\/strong> is not one of the choices offered/);
    assert.equal(wrong.body.match(/<strong>Sort<\/strong>/g)?.length, 1, 'said once');
  });

  test('the offices see their queues and pending exports; a person with several roles sees each', async () => {
    const office = (await (await aStaffMember(app, 'credentials_office')).signIn()).get('/home');
    const officeLines = queueLines((await office).body, 'office-queues');
    assert.ok(officeLines, 'the office sees its queues');
    assert.ok(officeLines.includes('1 Badge requests waiting for a decision'), officeLines.join('; '));
    assert.ok(officeLines.includes('0 Approved requests waiting to be issued'), officeLines.join('; '));
    assert.ok(officeLines.some((l) => l.endsWith('E-mails that could not be delivered')));
    assert.equal(queueLines((await office).body, 'registrar-exports'), undefined);

    const both = await anAccount(app, { roles: ['program_lead', 'registrar', 'bursar'] });
    const page = (await (await both.signIn()).get('/home')).body;
    // The two badges of the credit-bearing program wait for the registrar, and their fees for the bursar.
    assert.deepEqual(queueLines(page, 'registrar-exports'), [
      '2 Transcript notations to add',
      '0 Notations to withdraw (badges revoked)',
    ]);
    assert.deepEqual(queueLines(page, 'bursar-exports'), [
      '2 Fee charges not yet exported',
      '0 Reversals (credits) not yet exported',
      '0 Charges flagged for review',
    ]);
    assert.equal(queueLines(page, 'office-queues'), undefined, 'the office’s queues are not theirs');
    assert.match(page, /Programs I lead \(0\)/);

    await app.services.issuing.exportForRegistrar(both);
    await app.services.billing.exportForBursar(both);
    const after = (await (await both.signIn()).get('/home')).body;
    assert.equal(queueLines(after, 'registrar-exports')![0], '0 Transcript notations to add');
    assert.equal(queueLines(after, 'bursar-exports')![0], '0 Fee charges not yet exported');

    // A badge sent to both and then revoked as issued in error: its notation is to be withdrawn and its fee is
    // flagged; waived, the fee already sent is to be reversed.
    await app.services.credentials.changeStatus(
      { system: 'test' },
      firstBadge.credentialId,
      'revoke',
      'In error.',
      {
        category: 'issued_in_error',
      },
    );
    const revoked = (await (await both.signIn()).get('/home')).body;
    // The program's lead no longer counts it among the program's badges.
    const led = ledRows((await (await lead.signIn()).get('/home')).body);
    assert.deepEqual(led.find((row) => row[0] === 'Busy Dashboard Program')?.[5], '1');
    assert.deepEqual(queueLines(revoked, 'registrar-exports'), [
      '0 Transcript notations to add',
      '1 Notations to withdraw (badges revoked)',
    ]);
    assert.deepEqual(queueLines(revoked, 'bursar-exports'), [
      '0 Fee charges not yet exported',
      '0 Reversals (credits) not yet exported',
      '1 Charges flagged for review',
    ]);
    const charge = await app.database.db
      .selectFrom('fee_charges')
      .select('id')
      .where('credential_id', '=', firstBadge.credentialId)
      .executeTakeFirstOrThrow();
    await app.services.billing.waiveCharge(both, charge.id, 'Issued in error');
    const waived = (await (await both.signIn()).get('/home')).body;
    assert.deepEqual(queueLines(waived, 'bursar-exports'), [
      '0 Fee charges not yet exported',
      '1 Reversals (credits) not yet exported',
      '0 Charges flagged for review',
    ]);
  });

  test('each figure is on the homes of those it is for, counted from the records', async () => {
    // One message given up on, as the mail worker leaves it after its last attempt.
    await app.database.db
      .insertInto('mail_outbox')
      .values({
        id: crypto.randomUUID(),
        to_address: 'gone@mail.example',
        subject: 'Your badge',
        text_body: 'Your badge is ready.',
        html_body: null,
        display_subject: 'Your badge',
        display_text: 'Your badge is ready.',
        kind: 'badge_claim',
        status: 'failed',
        attempts: 12,
        last_error: '550 no such mailbox',
      })
      .execute();
    const textOf = async (person: Person) =>
      (await (await person.signIn()).get('/home')).body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    const office = await textOf(await aStaffMember(app, 'credentials_office'));
    assert.match(office, /1 E-mails that could not be delivered/);
    assert.match(office, /Outgoing mail 1 message could not be delivered\./);
    // The six learners built above (two with badges, one with a request, three enrolled by hand), whose enrolments
    // are all active but the one withdrawn and the one completed.
    assert.match(office, /Programs at a glance .* 6 learners, 4 active enrolments\./);
    assert.doesNotMatch(office, /People and roles/);

    const registrar = await textOf(await aStaffMember(app, 'registrar'));
    assert.match(registrar, /Programs at a glance/);
    assert.doesNotMatch(registrar, /Outgoing mail|People and roles/);

    const admin = await anAccount(app, { roles: ['admin'] });
    const adminHome = await textOf(admin);
    assert.match(adminHome, /Outgoing mail 1 message could not be delivered\./);
    const accounts = await app.database.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.match(adminHome, new RegExp(`People and roles \\(${Number(accounts.n)} accounts\\)`));
  });

  test('a lead alone sees no office’s queue', async () => {
    const page = (await (await lead.signIn()).get('/home')).body;
    for (const id of ['office-queues', 'registrar-exports', 'bursar-exports']) {
      assert.equal(queueLines(page, id), undefined, id);
    }
  });
});

describe(`a new installation's first administrator on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  test('the summary cards count in words and say when there is nothing yet', async () => {
    const admin = await anAccount(app, { roles: ['admin'] });
    const page = (await (await admin.signIn()).get('/home')).body;
    const text = page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    assert.match(text, /People and roles \(1 account\)/);
    assert.match(text, /Programs at a glance No programs yet\. 0 learners, 0 active enrolments\./);
  });
});
