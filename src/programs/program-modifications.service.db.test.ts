import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { aProgram, aStaffMember, type Person } from '../../test/support/builders.ts';
import { assertRefused, mailTo } from '../../test/support/programs.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { formValuesOf } from './program-form.ts';

describe(`changes to an approved program on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;
  let office: Person;
  let approver: Person;
  let admin: Person;

  before(async () => {
    app = await startTestApp({ runJobs: false, clock: fixedClock('2026-03-02T12:00:00Z') });
    lead = await aStaffMember(app, 'program_lead');
    office = await aStaffMember(app, 'credentials_office');
    approver = await aStaffMember(app, 'approver');
    admin = await aStaffMember(app, 'admin');
  });
  after(() => app.close());

  const programs = () => app.services.programs;
  const publicFee = async (slug: string) => (await app.services.catalog.programPage(slug)).feeCents;

  /** Saves the edit form of `id` as `who` with `change` applied to what the form shows. */
  async function edit(who: Person, id: string, change: Record<string, string>, note = 'A change') {
    const form = await programs().drafting.editForm(who, id);
    const values = { ...formValuesOf(form.fields), ...change };
    return programs().drafting.editProgram(who, id, values, [], {
      expectedVersion: form.program.version,
      changeNote: note,
    });
  }

  test('changing the fee of an approved program does not change the public fee until the change is approved', async () => {
    const program = await aProgram(app, { lead, feeCents: 1000 });
    const saved = await edit(lead, program.id, { fee: '250.00' });
    assert.equal(saved.outcome, 'proposed');
    assert.equal(await publicFee(program.slug), 1000, 'a drafted change is not public');

    await programs().modifications.submit(lead, program.id);
    assert.equal(await publicFee(program.slug), 1000, 'a change under review is not public');
    assert.ok(
      (await mailTo(app, approver.email)).some((m) => /awaits the Curriculum committee/.test(m.subject)),
    );

    assert.equal(await programs().modifications.approveStep(approver, program.id, 'Fine.'), 'approved');
    assert.equal(await publicFee(program.slug), 25_000, 'the approved change is public');
    const versions = (await programs().pages.programPage(office, program.id)).versions;
    assert.deepEqual(
      versions.map((v) => v.version),
      [2, 1],
      'the earlier version is kept',
    );
    const v1 = await programs().drafting.findVersion(program.id, 1);
    assert.equal((v1?.snapshot as { feeCents: number } | undefined)?.feeCents, 1000);
  });

  test('a course change by the credentials office is also a proposed change, not published', async () => {
    const program = await aProgram(app, { lead });
    const saved = await edit(office, program.id, { credits_min: '9' });
    assert.equal(saved.outcome, 'proposed');
    const page = await app.services.catalog.programPage(program.slug);
    assert.equal(page.creditsMin, 6);
  });

  test('a wording fix by the credentials office is published at once, audited before and after, and the lead is told', async () => {
    const program = await aProgram(app, { lead });
    const saved = await edit(office, program.id, { description: 'Clearer words about the program.' });
    assert.equal(saved.outcome, 'published');
    assert.equal(
      (await app.services.catalog.programPage(program.slug)).description,
      'Clearer words about the program.',
    );
    const entries = await app.services.audit.list({ entityId: program.id, limit: 50, offset: 0 });
    const wording = entries.find((e) => e.action === 'program.wording_published');
    assert.ok(wording, 'the wording fix is audited');
    assert.match(JSON.stringify(wording.before), new RegExp(`${program.title} in a few sentences`));
    assert.match(JSON.stringify(wording.after), /Clearer words/);
    assert.ok((await mailTo(app, lead.email)).some((m) => /Wording updated/.test(m.subject)));
  });

  test('a published version queues the job that works out the program’s stored progress again', async () => {
    const program = await aProgram(app, { lead });
    const queued = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from pgboss.job
          where name = 'progress-refresh-program' and data ->> 'programId' = ${program.id}`.execute(
          app.database.db,
        )
      ).rows[0]!.n;
    assert.equal(await queued(), 0);
    const saved = await edit(office, program.id, { description: 'Words that move a version on.' });
    assert.equal(saved.outcome, 'published');
    assert.equal(await queued(), 1, 'one refresh job for the program, committed with the version');
  });

  test('a wording fix by the lead waits for approval like any other change', async () => {
    const program = await aProgram(app, { lead });
    const saved = await edit(lead, program.id, { summary: 'A new one-line summary.' });
    assert.equal(saved.outcome, 'proposed');
    assert.notEqual(
      (await app.services.catalog.programPage(program.slug)).summary,
      'A new one-line summary.',
    );
  });

  test('nobody approves their own change: neither its proposer nor the program lead', async () => {
    const both = await app.services.accounts.createUser(app.database.db, {
      email: 'both.roles@builders.example',
      name: 'Both Roles',
      password: 'builder-password-long-enough',
      roles: ['program_lead', 'approver'],
    });
    const leadApprover = {
      id: both,
      name: 'Both Roles',
      email: 'both.roles@builders.example',
      roles: ['program_lead', 'approver'] as const,
    };
    const program = await aProgram(app, { lead: { id: both } });
    const actor = { ...leadApprover, roles: [...leadApprover.roles] };
    const form = await programs().drafting.editForm(actor, program.id);
    await programs().drafting.editProgram(
      actor,
      program.id,
      { ...formValuesOf(form.fields), fee: '99' },
      [],
      {
        expectedVersion: form.program.version,
      },
    );
    await programs().modifications.submit(actor, program.id);
    const view = await programs().modifications.view(actor, program.id);
    assert.equal(view?.can.approve, false, 'the page offers no approval to the author');
    assert.ok(view?.withheld);
    await assertRefused(programs().modifications.approveStep(actor, program.id), 'FORBIDDEN', /someone else/);
    // The office typed a change in for the lead: the lead still cannot approve it, nor can the office member.
    const other = await aProgram(app, { lead: { id: both } });
    await edit(office, other.id, { fee: '12' });
    await programs().modifications.submit(office, other.id);
    await assertRefused(programs().modifications.approveStep(actor, other.id), 'FORBIDDEN');
    assert.equal(await programs().modifications.approveStep(approver, other.id), 'approved');
  });

  test('a returned change goes back to its author, and a resubmission takes the chain in force then', async () => {
    const program = await aProgram(app, { lead });
    await edit(lead, program.id, { fee: '30' });
    await programs().modifications.submit(lead, program.id);
    await assertRefused(
      programs().modifications.returnChange(approver, program.id, ''),
      'INVALID_STATE',
      /comment/,
    );
    assert.equal(
      await programs().modifications.returnChange(approver, program.id, 'Explain the fee.'),
      'draft',
    );
    await programs().chains.editChain(admin, 'modification', {
      kind: 'add_step',
      name: 'Provost',
      role: 'admin',
    });
    await programs().modifications.submit(lead, program.id);
    const view = await programs().modifications.view(approver, program.id);
    assert.deepEqual(
      view?.steps.map((s) => s.name),
      ['Curriculum committee', 'Provost'],
    );
    assert.equal(await programs().modifications.approveStep(approver, program.id), 'in_review');
    assert.equal(await publicFee(program.slug), 1000);
    await assertRefused(programs().modifications.approveStep(approver, program.id), 'INVALID_STATE');
    assert.equal(await programs().modifications.approveStep(admin, program.id), 'approved');
    assert.equal(await publicFee(program.slug), 3000);
    // Put the chain back as the other tests expect it.
    const { chain } = await programs().chains.findChain(admin, 'modification');
    const provost = chain.steps.find((s) => s.name === 'Provost')!;
    await programs().chains.editChain(admin, 'modification', { kind: 'remove_step', stepKey: provost.key });
  });

  test('badges already issued keep the version they were issued under', async () => {
    const { anIssuedBadge } = await import('../../test/support/builders.ts');
    const issued = await anIssuedBadge(app);
    const program = issued.program;
    const issuer = await aStaffMember(app, 'credentials_office');
    assert.equal((await edit(issuer, program.id, { fee: '77' })).outcome, 'proposed');
    await programs().modifications.submit(issuer, program.id);
    assert.equal(await programs().modifications.approveStep(approver, program.id), 'approved');
    const row = await app.database.db
      .selectFrom('credentials')
      .select('program_version')
      .where('id', '=', issued.credentialId)
      .executeTakeFirstOrThrow();
    assert.equal(row.program_version, 1);
    const current = await app.database.db
      .selectFrom('programs')
      .select('version')
      .where('id', '=', program.id)
      .executeTakeFirstOrThrow();
    assert.equal(current.version, 2);
  });
});
