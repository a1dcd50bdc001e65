import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { aLearner, anAccount, aStaffMember, type Person } from '../../test/support/builders.ts';
import { textOf } from '../../test/support/issuing.ts';
import {
  aClientAddress,
  aNewAddress,
  mailReceivedBy,
  openVerificationLink,
  signUp,
  startSignUpApp,
  verificationPathIn,
} from '../../test/support/sign-up.ts';
import type { TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

describe(`linking learner records to accounts on ${testBackend}`, () => {
  let env: Awaited<ReturnType<typeof startSignUpApp>>;
  let app: TestApp;
  let registrar: Person;
  let staff: BrowserSession;
  const ownerOf = async (learnerId: string) =>
    (
      await app.database.db
        .selectFrom('learners')
        .select('user_id')
        .where('id', '=', learnerId)
        .executeTakeFirstOrThrow()
    ).user_id;
  const auditOf = async (action: string, learnerId: string) =>
    (await app.services.audit.list({ action, limit: 50, offset: 0 })).filter(
      (e) => e.entity_id === learnerId,
    );

  before(async () => {
    env = await startSignUpApp();
    app = env.app;
    registrar = await aStaffMember(app, 'registrar', { name: 'Ruth Okonkwo' });
    staff = await registrar.signIn();
  });
  after(() => env.close());

  test('a sign-up gets the record with its address once the address is verified, not before', async () => {
    const email = aNewAddress('student');
    const record = await aLearner(app, { email, account: false, name: 'Tomasz Wierzbicki' });
    const { browser } = await signUp(app, { email, name: 'Tomasz Wierzbicki' });
    const user = await app.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.equal(await ownerOf(record.id), null, 'an unverified address links nothing');

    const link = verificationPathIn(await mailReceivedBy(app, env.smtp, email));
    assert.equal((await openVerificationLink(browser, link)).response.statusCode, 303);
    assert.equal(await ownerOf(record.id), user.id);
    const [linked] = await auditOf('learner.linked', record.id);
    assert.match(JSON.stringify(linked?.after), /verified e-mail/);
  });

  test('a new record carrying a verified account’s address is linked to it', async () => {
    const person = await anAccount(app, { name: 'Aino Lehtonen' });
    const record = await aLearner(app, { email: person.email, account: false });
    await app.database.db
      .transaction()
      .execute((trx) => app.services.recordLinking.linkVerifiedAccountWithin(trx, record.id));
    assert.equal(await ownerOf(record.id), person.id);
  });

  test('one person never gets two records: the automatic link is refused and audited', async () => {
    const person = await anAccount(app, { name: 'Bertil Sandqvist' });
    const first = await aLearner(app, { account: false });
    const linked = await staff.postForm(`/learners/${first.id}/account`, {
      userId: person.id,
      confirmed: 'yes',
    });
    assert.equal(linked.statusCode, 303);
    const second = await aLearner(app, { email: person.email, account: false });
    await app.database.db
      .transaction()
      .execute((trx) => app.services.recordLinking.linkVerifiedAccountWithin(trx, second.id));
    assert.equal(await ownerOf(second.id), null);
    const [refusal] = await auditOf('learner.link_refused', second.id);
    assert.match(JSON.stringify(refusal?.after), /account_has_another_record/);
  });

  test('records staff find an account by e-mail, confirm, link and unlink, all audited', async () => {
    const person = await anAccount(app, { name: 'Chiara Benedetti' });
    const record = await aLearner(app, { account: false, name: 'Chiara Benedetti' });
    const page = await staff.get(`/learners/${record.id}?account=${encodeURIComponent(person.email)}`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(`/learners/${record.id}/account/confirm?userId=${person.id}`));

    const confirm = await staff.get(`/learners/${record.id}/account/confirm?userId=${person.id}`);
    assert.equal(confirm.statusCode, 200);
    assert.match(textOf(confirm.body), /I have checked that this account's holder/);
    const unticked = await staff.postForm(`/learners/${record.id}/account`, { userId: person.id });
    assert.equal(unticked.statusCode, 400);
    assert.match(unticked.body, /href="#confirmed"/);
    assert.equal(await ownerOf(record.id), null);

    const linked = await staff.postForm(`/learners/${record.id}/account`, {
      userId: person.id,
      confirmed: 'yes',
    });
    assert.equal(linked.statusCode, 303);
    assert.equal(await ownerOf(record.id), person.id);
    const [entry] = await auditOf('learner.linked', record.id);
    assert.equal(entry?.actor_id, registrar.id);
    assert.match((await staff.get(`/learners/${record.id}`)).body, /Linked to Chiara Benedetti/);

    assert.equal((await staff.postForm(`/learners/${record.id}/account/unlink`, {})).statusCode, 400);
    const unlinked = await staff.postForm(`/learners/${record.id}/account/unlink`, { confirmUnlink: 'yes' });
    assert.equal(unlinked.statusCode, 303);
    assert.equal(await ownerOf(record.id), null);
    const [gone] = await auditOf('learner.unlinked', record.id);
    assert.match(JSON.stringify(gone?.before), new RegExp(person.id));
  });

  test('staff links keep the rules: one account per record, one record per account, proven addresses, not their own', async () => {
    const holder = await aLearner(app, { name: 'Dagny Holm' });
    const other = await anAccount(app);
    const taken = await staff.postForm(`/learners/${holder.id}/account`, {
      userId: other.id,
      confirmed: 'yes',
    });
    assert.equal(taken.statusCode, 409);
    assert.match(textOf(taken.body), /already linked to another account/);
    assert.equal(await ownerOf(holder.id), holder.account!.id);

    const spare = await aLearner(app, { account: false });
    const twice = await staff.postForm(`/learners/${spare.id}/account`, {
      userId: holder.account!.id,
      confirmed: 'yes',
    });
    assert.equal(twice.statusCode, 409);
    assert.match(textOf(twice.body), /already linked to another learner record/);
    assert.equal((await auditOf('learner.link_refused', spare.id)).length, 1);

    const email = aNewAddress();
    await signUp(app, { email });
    const unverified = await app.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    const unproven = await staff.postForm(`/learners/${spare.id}/account`, {
      userId: unverified.id,
      confirmed: 'yes',
    });
    assert.equal(unproven.statusCode, 409);
    assert.match(textOf(unproven.body), /not confirmed yet/);

    const own = await staff.postForm(`/learners/${spare.id}/account`, {
      userId: registrar.id,
      confirmed: 'yes',
    });
    assert.equal(own.statusCode, 409);
    assert.match(textOf(own.body), /your own account/);
    assert.equal(await ownerOf(spare.id), null);
  });

  test('only the records offices link: program leads and learners are refused', async () => {
    const record = await aLearner(app, { account: false });
    const person = await anAccount(app);
    for (const role of ['program_lead', 'learner'] as const) {
      const browser = await (await aStaffMember(app, role)).signIn();
      const refused = await browser.postForm(`/learners/${record.id}/account`, {
        userId: person.id,
        confirmed: 'yes',
      });
      assert.equal(refused.statusCode, 403, role);
    }
    const anonymous = new BrowserSession(app, aClientAddress());
    const refused = await anonymous.postForm(`/learners/${record.id}/account`, {
      userId: person.id,
      confirmed: 'yes',
    });
    assert.notEqual(refused.statusCode, 303);
    assert.equal(await ownerOf(record.id), null);
  });
});
