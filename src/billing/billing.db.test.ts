import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import {
  aBadgeRequest,
  anInstitution,
  aProgram,
  aStaffMember,
  type Person,
} from '../../test/support/builders.ts';
import { textOf } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { newId } from '../platform/ids.ts';
import { bursarCsvHeader } from './billing.service.ts';

describe(`fees and the bursar's ledger on ${testBackend}`, () => {
  let app: TestApp;
  let people: Record<'bursar' | 'credentials' | 'registrar' | 'admin' | 'learner', Person>;
  const browsers = new Map<string, BrowserSession>();
  /** One signed-in browser per person, kept for the file. */
  const as = async (who: keyof typeof people) => {
    if (!browsers.has(who)) browsers.set(who, await people[who].signIn());
    return browsers.get(who)!;
  };
  let chargeIds: string[];

  const charge = (id: string) =>
    app.database.db.selectFrom('fee_charges').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const exportCsv = async () => {
    const response = await (await as('bursar')).postForm('/billing/exports/bursar.csv', {});
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /text\/csv/);
    return { body: response.body, rows: parse(response.body, { columns: true }) as Record<string, string>[] };
  };

  before(async () => {
    app = await startTestApp({ runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });
    await anInstitution(app);
    people = {
      bursar: await aStaffMember(app, 'bursar'),
      credentials: await aStaffMember(app, 'credentials_office', { name: 'Marisa Quintero' }),
      registrar: await aStaffMember(app, 'registrar'),
      admin: await aStaffMember(app, 'admin'),
      learner: (await aBadgeRequest(app)).learner.account!,
    };
    const actor = people.admin;
    // Six learners' approved requests, three for each office, each for a program with a $10.00 fee.
    const requests = [];
    for (const creditType of [
      'credit',
      'credit',
      'credit',
      'non_credit',
      'non_credit',
      'non_credit',
    ] as const) {
      const { request } = await aBadgeRequest(app, {
        program: await aProgram(app, { creditType, feeCents: 1000 }),
      });
      await app.services.badgeRequests.decide(actor, request.id, 'approve', '');
      requests.push(request);
    }
    // Issued by each office in turn (an administrator may act for both); six badges, six fees.
    const { items: registrar } = await app.services.issuing.queue(actor, 'registrar');
    const { items: office } = await app.services.issuing.queue(actor, 'credentials_office');
    for (const [which, items] of [
      ['registrar', registrar],
      ['credentials_office', office],
    ] as const) {
      const outcome = await app.services.issuing.issueApprovedRequests(
        actor,
        which,
        items.map((item) => item.request.id),
      );
      assert.deepEqual(outcome.refused, []);
    }
    const charges = await app.database.db
      .selectFrom('fee_charges')
      .select('id')
      .orderBy('posted_at')
      .execute();
    chargeIds = charges.map((c) => c.id);
    assert.equal(chargeIds.length, requests.length);
  });
  after(() => app.close());

  test('the database itself refuses a second charge for the same credential', async () => {
    const first = await charge(chargeIds[0]!);
    await assert.rejects(
      app.database.db
        .insertInto('fee_charges')
        .values({
          id: newId(),
          credential_id: first.credential_id,
          learner_id: first.learner_id,
          program_id: first.program_id,
          amount_cents: 1000,
        })
        .execute(),
      (error: { code?: string; message?: string }) =>
        error.code === '23505' && /fee_charges_one_per_credential/.test(String(error.message)),
    );
  });

  test('the ledger shows posted, exported and outstanding totals, for the bursar only', async () => {
    const page = await (await as('bursar')).get('/billing');
    assert.equal(page.statusCode, 200);
    const text = textOf(page.body);
    const count = chargeIds.length;
    assert.match(text, new RegExp(`\\$${count * 10}\\.00 Posted ${count} charges`));
    assert.match(text, new RegExp(`\\$${count * 10}\\.00 Outstanding ${count} charges`));
    assert.match(text, /\$0\.00 Exported 0 charges/);
    assert.match(text, /\$0\.00 Waived 0 charges/);
    assert.equal((await (await as('credentials')).get('/billing')).statusCode, 403);
    assert.equal((await (await as('learner')).get('/billing')).statusCode, 403);
  });

  test('a waiver needs a reason, is audited, and only the bursar and the credentials office may give one', async () => {
    const id = chargeIds[0]!;
    const office = await as('credentials');
    const page = textOf((await office.get(`/billing/charges/${id}`)).body);
    assert.match(page, /Waive this fee/);

    const empty = await office.postForm(`/billing/charges/${id}/waive`, { reason: '   ' });
    assert.equal(empty.statusCode, 400);
    assert.match(textOf(empty.body), /Reason is required: say why the fee is waived/);
    assert.equal((await charge(id)).status, 'posted');

    assert.equal(
      (await (await as('registrar')).postForm(`/billing/charges/${id}/waive`, { reason: 'x' })).statusCode,
      403,
    );
    assert.equal(
      (await (await as('learner')).postForm(`/billing/charges/${id}/waive`, { reason: 'x' })).statusCode,
      403,
    );

    const waived = await office.postForm(`/billing/charges/${id}/waive`, {
      reason: 'Tuition remission for staff',
    });
    assert.equal(waived.statusCode, 303);
    const stored = await charge(id);
    assert.equal(stored.status, 'waived');
    assert.equal(stored.reason, 'Tuition remission for staff');
    assert.ok(stored.waived_by && stored.waived_at);
    const audit = await app.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'fee.waived')
      .where('entity_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.match(audit.actor_label, /Marisa Quintero/);
    assert.deepEqual(audit.after, {
      status: 'waived',
      reason: 'Tuition remission for staff',
      amountCents: 1000,
    });

    const twice = await office.postForm(`/billing/charges/${id}/waive`, { reason: 'again' });
    assert.equal(twice.statusCode, 422);
  });

  test('the bursar export carries each posted charge once; a second export is empty', async () => {
    const first = await exportCsv();
    assert.deepEqual(Object.keys(first.rows[0] ?? {}), [...bursarCsvHeader]);
    const posted = chargeIds.length - 1;
    assert.equal(first.rows.length, posted, 'every posted charge, not the waived one');
    assert.ok(
      first.rows.every((r) => r.line_type === 'charge' && r.amount === '10.00' && r.amount_cents === '1000'),
    );
    assert.ok(!first.rows.some((r) => r.charge_id === chargeIds[0]));
    const unexported = await app.database.db
      .selectFrom('fee_charges')
      .select('id')
      .where('status', '=', 'posted')
      .where('exported_batch', 'is', null)
      .execute();
    assert.equal(unexported.length, 0);

    const second = await exportCsv();
    assert.equal(second.rows.length, 0);
    assert.equal(second.body.trim(), bursarCsvHeader.join(','));

    const ledger = await app.services.billing.ledger({});
    assert.equal(ledger.totals.exportedCents, posted * 1000);
    assert.equal(ledger.totals.outstandingCents, 0);
    assert.equal(ledger.exports.length, 1, 'an empty export keeps no batch');
    const again = await (await as('bursar')).get(`/billing/exports/bursar/${ledger.exports[0]!.id}.csv`);
    assert.equal(again.body, first.body);
  });

  test('waiving an exported charge reverses it, and the next export carries the credit once', async () => {
    const id = chargeIds[1]!;
    const bursar = await as('bursar');
    const response = await bursar.postForm(`/billing/charges/${id}/waive`, { reason: 'Billed in error' });
    assert.equal(response.statusCode, 303);
    assert.equal((await charge(id)).status, 'reversed');

    const next = await exportCsv();
    assert.equal(next.rows.length, 1);
    assert.equal(next.rows[0]?.line_type, 'reversal');
    assert.equal(next.rows[0]?.charge_id, id);
    assert.equal(next.rows[0]?.amount, '-10.00');
    assert.equal(next.rows[0]?.amount_cents, '-1000');
    assert.equal(next.rows[0]?.reason, 'Billed in error');
    assert.equal((await exportCsv()).rows.length, 0);

    const { totals } = await app.services.billing.ledger({});
    assert.deepEqual(
      {
        posted: totals.postedCents,
        waived: totals.waivedCents,
        reversed: totals.reversedCents,
        exported: totals.exportedCents,
        outstanding: totals.outstandingCents,
      },
      {
        posted: (chargeIds.length - 2) * 1000,
        waived: 1000,
        reversed: 1000,
        exported: (chargeIds.length - 2) * 1000,
        outstanding: 0,
      },
    );
  });

  test('the ledger filters by status and by learner', async () => {
    const bursar = await as('bursar');
    const waived = textOf((await bursar.get('/billing?status=waived&exported=&program=&q=&from=&to=')).body);
    assert.match(waived, /\$10\.00 Waived 1 charge/);
    assert.match(waived, /Tuition remission for staff/);
    assert.doesNotMatch(waived, /Billed in error/);
    const one = await charge(chargeIds[2]!);
    const learner = await app.database.db
      .selectFrom('learners')
      .select(['name', 'student_id'])
      .where('id', '=', one.learner_id)
      .executeTakeFirstOrThrow();
    const byLearner = textOf((await bursar.get(`/billing?q=${learner.student_id}`)).body);
    assert.match(byLearner, /\$10\.00 Posted 1 charge\./);
    assert.ok(byLearner.includes(learner.name));
    assert.equal((await bursar.get('/billing?status=lost')).statusCode, 400);
  });
});
