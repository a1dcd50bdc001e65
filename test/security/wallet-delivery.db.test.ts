/**
 * Issue 19, point 5: a badge re-issued into a wallet must go only to its own learner's wallet, once, to a DID the
 * wallet proved it controls. An offer's code cannot be replayed; a DID Authentication must answer our challenge
 * for our domain and be signed by the DID it names; a key proof must carry our fresh nonce and be addressed to us;
 * nobody can make an offer for someone else's badge; an expired offer delivers nothing.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Clock } from '../../src/platform/clock.ts';
import { aLearner, anIssuedBadge, aStaffMember, type Person } from '../support/builders.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';
import { injectHttp, TestWallet, type WalletHttp } from '../support/test-wallet.ts';

describe(`wallet delivery refuses what it must on ${testBackend}`, () => {
  let app: TestApp;
  let http: WalletHttp;
  let learner: Person;
  let credentialId: string;
  let wallet: TestWallet;
  // Real time, moved forward only by the expiry test.
  let skewMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + skewMs) };

  before(async () => {
    app = await startTestApp({ runJobs: false, clock });
    http = injectHttp(app);
    const issued = await anIssuedBadge(app, { issuer: await aStaffMember(app, 'admin') });
    credentialId = issued.credentialId;
    learner = issued.learner.account!;
  });
  beforeEach(async () => {
    skewMs = 0;
    wallet = await TestWallet.create();
  });
  after(() => app.close());

  const copiesMade = async () =>
    (
      await app.database.db
        .selectFrom('credentials')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('copy_of', '=', credentialId)
        .executeTakeFirstOrThrow()
    ).n;

  const tokenRequest = (code: string) =>
    http({
      method: 'POST',
      url: `${app.config.publicUrl}/oid4vci/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
        'pre-authorized_code': code,
      }).toString(),
    });
  const codeOf = (offerLink: string) =>
    JSON.parse(new URL(offerLink).searchParams.get('credential_offer')!).grants[
      'urn:ietf:params:oauth:grant-type:pre-authorized_code'
    ]['pre-authorized_code'] as string;

  test('a pre-authorized code buys one access token; a replay is invalid_grant', async () => {
    const offer = await app.services.wallet.makeOffer(learner, credentialId);
    const first = await tokenRequest(codeOf(offer.offerLink));
    assert.equal(first.status, 200);
    const replay = await tokenRequest(codeOf(offer.offerLink));
    assert.equal(replay.status, 400);
    assert.equal(replay.json.error, 'invalid_grant');
  });

  test('the code is stored only as a hash', async () => {
    const offer = await app.services.wallet.makeOffer(learner, credentialId);
    const row = await app.database.db
      .selectFrom('wallet_offers')
      .selectAll()
      .where('id', '=', offer.id)
      .executeTakeFirstOrThrow();
    const code = codeOf(offer.offerLink);
    assert.ok(!JSON.stringify(row).includes(code));
    assert.ok(!JSON.stringify(row).includes(offer.exchangeUrl.split('/').pop()!));
  });

  test('an offer delivers once: after a wallet took it by one route, the other route delivers nothing', async () => {
    const offer = await app.services.wallet.makeOffer(learner, credentialId);
    const before = await copiesMade();
    const token = await tokenRequest(codeOf(offer.offerLink));
    const { answer } = await wallet.completeExchange(offer.exchangeUrl, http);
    assert.equal(answer.status, 200);
    const nonce = await http({ method: 'POST', url: `${app.config.publicUrl}/oid4vci/nonce` });
    const proof = await wallet.keyProof({ audience: app.config.publicUrl, nonce: nonce.json.c_nonce });
    const second = await http({
      method: 'POST',
      url: `${app.config.publicUrl}/oid4vci/credential`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.json.access_token}` },
      body: JSON.stringify({
        credential_configuration_id: 'OpenBadgeCredential_ldp_vc',
        proofs: { jwt: [proof] },
      }),
    });
    assert.equal(second.status, 401);
    assert.equal(second.json.error, 'invalid_token');
    assert.equal(await copiesMade(), before + 1);
  });

  test('a DID Authentication with the wrong challenge or for another domain is refused', async () => {
    const offer = await app.services.wallet.makeOffer(learner, credentialId);
    const before = await copiesMade();
    const asked = await http({
      method: 'POST',
      url: offer.exchangeUrl,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { challenge, domain } = asked.json.verifiablePresentationRequest;
    for (const wrong of [
      { challenge: `${challenge}-other`, domain },
      { challenge, domain: 'https://verifier.example' },
    ]) {
      const verifiablePresentation = await wallet.didAuthentication(wrong);
      const answer = await http({
        method: 'POST',
        url: offer.exchangeUrl,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ verifiablePresentation }),
      });
      assert.equal(answer.status, 422, JSON.stringify(answer.json));
      assert.match(
        String(answer.json.detail ?? answer.json.title ?? JSON.stringify(answer.json)),
        /challenge|domain/,
      );
    }
    assert.equal(await copiesMade(), before);
    // The right answer still works: a refused attempt does not spend the offer.
    const { answer } = await wallet.completeExchange(offer.exchangeUrl, http);
    assert.equal(answer.status, 200);
  });

  test('a presentation naming one DID as holder but signed by another key is refused', async () => {
    const offer = await app.services.wallet.makeOffer(learner, credentialId);
    const victim = await TestWallet.create();
    const before = await copiesMade();
    const { answer } = await wallet.completeExchange(offer.exchangeUrl, http, { holder: victim.did });
    assert.equal(answer.status, 422);
    assert.equal(await copiesMade(), before);
  });

  test('a key proof with a made-up nonce, or addressed to another issuer, is refused', async () => {
    const offer = await app.services.wallet.makeOffer(learner, credentialId);
    const token = await tokenRequest(codeOf(offer.offerLink));
    const nonce = await http({ method: 'POST', url: `${app.config.publicUrl}/oid4vci/nonce` });
    const send = (proof: string) =>
      http({
        method: 'POST',
        url: `${app.config.publicUrl}/oid4vci/credential`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token.json.access_token}` },
        body: JSON.stringify({
          credential_configuration_id: 'OpenBadgeCredential_ldp_vc',
          proofs: { jwt: [proof] },
        }),
      });
    const forged = await send(
      await wallet.keyProof({ audience: app.config.publicUrl, nonce: `${Date.now()}.x.y` }),
    );
    assert.equal(forged.json.error, 'invalid_nonce');
    const elsewhere = await send(
      await wallet.keyProof({ audience: 'https://issuer.example', nonce: nonce.json.c_nonce }),
    );
    assert.equal(elsewhere.json.error, 'invalid_proof');
    const right = await send(
      await wallet.keyProof({ audience: app.config.publicUrl, nonce: nonce.json.c_nonce }),
    );
    assert.equal(right.status, 200);
  });

  test("nobody can make or follow an offer for someone else's badge", async () => {
    const other = await aLearner(app);
    await assert.rejects(app.services.wallet.makeOffer(other.account!, credentialId), /could not be found/);
    await assert.rejects(app.services.wallet.walletPage(other.account!, credentialId), /could not be found/);
    const offer = await app.services.wallet.makeOffer(learner, credentialId);
    await assert.rejects(
      app.services.wallet.offerProgress(other.account!, credentialId, offer.id),
      /could not be found/,
    );
  });

  test('an expired offer delivers nothing by either route', async () => {
    const offer = await app.services.wallet.makeOffer(learner, credentialId);
    skewMs = 16 * 60_000;
    const token = await tokenRequest(codeOf(offer.offerLink));
    assert.equal(token.json.error, 'invalid_grant');
    const asked = await http({
      method: 'POST',
      url: offer.exchangeUrl,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(asked.status, 422);
  });
});
