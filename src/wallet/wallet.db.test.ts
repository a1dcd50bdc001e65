import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { anIssuedBadge, aStaffMember, type Person } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { injectHttp, TestWallet } from '../../test/support/test-wallet.ts';

describe(`delivering a badge into a wallet on ${testBackend}`, () => {
  let app: TestApp;
  let learner: Person;
  let admin: Person;
  let credentialId: string;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    admin = await aStaffMember(app, 'admin');
    const issued = await anIssuedBadge(app, { issuer: admin });
    credentialId = issued.credentialId;
    learner = issued.learner.account!;
  });
  after(() => app.close());

  const verify = async (credential: unknown) => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: credential },
    });
    return { status: response.statusCode, body: response.json() as { verified: boolean } };
  };

  test('a wallet collects the badge over OID4VCI, re-issued to its DID with a status entry of its own', async () => {
    const wallet = await TestWallet.create();
    const offer = await app.services.wallet.makeOffer(learner, credentialId);
    assert.match(offer.offerLink, /^openid-credential-offer:\/\/\?credential_offer=/);
    const flow = await wallet.collectOffer(offer.offerLink, injectHttp(app));
    assert.equal(flow.metadata.json.credential_issuer, app.config.publicUrl);
    assert.equal(flow.token.status, 200, JSON.stringify(flow.token.json));
    assert.equal(flow.credential?.status, 200, JSON.stringify(flow.credential?.json));
    const credential = flow.credential!.json.credentials[0].credential;
    assert.equal(credential.credentialSubject.id, wallet.did);

    const original = await app.services.credentials.find(credentialId);
    const copy = await app.services.credentials.find(credential.id.replace('urn:uuid:', ''));
    assert.equal(copy?.copy_of, credentialId);
    assert.notEqual(copy?.id, credentialId);
    assert.equal(copy?.program_id, original?.program_id);
    assert.notDeepEqual(
      [copy?.revocation_list_id, copy?.revocation_index],
      [original?.revocation_list_id, original?.revocation_index],
    );
    const checked = await verify(credential);
    assert.equal(checked.status, 200, JSON.stringify(checked.body));
    assert.equal(checked.body.verified, true);
    const progress = await app.services.wallet.offerProgress(learner, credentialId, offer.id);
    assert.deepEqual(
      [progress.delivered, progress.holderDid, progress.deliveredBy],
      [true, wallet.did, 'oid4vci'],
    );
  });

  test('a wallet collects the badge over a VC-API exchange after DID Authentication', async () => {
    const wallet = await TestWallet.create();
    const offer = await app.services.wallet.makeOffer(learner, credentialId);
    const { request, answer } = await wallet.completeExchange(offer.exchangeUrl, injectHttp(app));
    assert.equal(request.status, 200);
    assert.deepEqual(request.json.verifiablePresentationRequest.query[0].type, 'DIDAuthentication');
    assert.equal(request.json.verifiablePresentationRequest.domain, new URL(app.config.publicUrl).origin);
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    const [credential] = answer.json.verifiablePresentation.verifiableCredential;
    assert.equal(credential.credentialSubject.id, wallet.did);
    assert.equal((await verify(credential)).body.verified, true);
    const page = await app.services.wallet.walletPage(learner, credentialId);
    assert.ok(
      page.deliveries.some((delivery) => delivery.holderDid === wallet.did && delivery.by === 'vc_api'),
    );
  });

  test('revoking the award revokes every copy in a wallet, and no new offer can be made', async () => {
    const wallet = await TestWallet.create();
    const offer = await app.services.wallet.makeOffer(learner, credentialId);
    const flow = await wallet.collectOffer(offer.offerLink, injectHttp(app));
    const copy = flow.credential!.json.credentials[0].credential;
    await app.services.credentials.changeStatus(admin, credentialId, 'revoke', 'Issued to the wrong cohort', {
      category: 'issued_in_error',
    });
    const copies = await app.database.db
      .selectFrom('credentials')
      .select(['status'])
      .where('copy_of', '=', credentialId)
      .execute();
    assert.ok(copies.length >= 2);
    assert.ok(copies.every((row) => row.status === 'revoked'));
    const checked = await verify(copy);
    assert.equal(checked.body.verified, false);
    await assert.rejects(app.services.wallet.makeOffer(learner, credentialId), /revoked/);
  });
});
