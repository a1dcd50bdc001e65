// Attacker's review, badge takeover: a badge issued to a learner who has no account waits in the backpack under
// the learner's address until claimed. Anyone may sign up with that address; the account is usable before the
// address is proven, and its backpack counted the unproven address as its own. So a stranger who knew a learner's
// address saw the waiting badge, claimed it without the claim link, and sent a copy to a wallet of their own. A
// waiting badge is the account's only under an address it has proven (or with the link mailed to that address).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aLearner, anIssuedBadge, aStaffMember } from '../support/builders.ts';
import { SIGN_UP_PASSWORD, signUp, startSignUpApp } from '../support/sign-up.ts';
import type { TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`an unproven address collects nobody's waiting badge on ${testBackend}`, () => {
  let env: Awaited<ReturnType<typeof startSignUpApp>>;
  let app: TestApp;

  before(async () => {
    env = await startSignUpApp();
    app = env.app;
  });
  after(() => env.close());

  /** A badge waiting under the address of a learner who holds no account. */
  const waitingBadge = async () => {
    const learner = await aLearner(app, { name: 'Wren Waiting' });
    const { credentialId } = await anIssuedBadge(app, { learner, issuer: await aStaffMember(app, 'admin') });
    // The builder makes every learner an account; this one's goes, as if the record came alone from the registrar.
    const db = app.database.db;
    await db.updateTable('learners').set({ user_id: null }).where('id', '=', learner.id).execute();
    await db.deleteFrom('user_roles').where('user_id', '=', learner.account!.id).execute();
    await db.deleteFrom('users').where('id', '=', learner.account!.id).execute();
    return { email: learner.email, credentialId };
  };

  test('a sign-up with the address cannot see, claim, open or send to a wallet the waiting badge', async () => {
    const { email, credentialId } = await waitingBadge();
    const { browser } = await signUp(app, { email, name: 'Wren Waiting' });
    await browser.login(email, SIGN_UP_PASSWORD);

    const backpack = await browser.get('/backpack');
    assert.equal(backpack.statusCode, 200);
    assert.ok(!backpack.body.includes(credentialId), 'the backpack lists the waiting badge');
    assert.equal((await browser.postForm(`/backpack/${credentialId}/claim`, {})).statusCode, 404);
    assert.equal((await browser.get(`/backpack/${credentialId}/wallet`)).statusCode, 404);
    const offer = await browser.postForm(`/backpack/${credentialId}/wallet/offers`, {});
    assert.equal(offer.statusCode, 404);
    assert.doesNotMatch(offer.body, /wallet\/exchanges\//);

    const item = await app.database.db
      .selectFrom('backpack_items')
      .select(['claimed_by_user_id', 'acceptance'])
      .where('credential_id', '=', credentialId)
      .executeTakeFirstOrThrow();
    assert.equal(item.claimed_by_user_id, null);
    const offers = await app.database.db
      .selectFrom('wallet_offers')
      .select('id')
      .where('credential_id', '=', credentialId)
      .execute();
    assert.equal(offers.length, 0);
  });
});
