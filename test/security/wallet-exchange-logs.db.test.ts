// Attacker's review, secrets in logs: a wallet offer's VC-API exchange is addressed by a secret in its path
// (`/wallet/exchanges/<secret>`), and whoever holds that address may complete the exchange with a DID of their
// own while the offer lasts, taking a copy of the learner's badge bound to their wallet. Request logs blanked the
// secrets of query parameters (reset, invitation and claim links) but wrote this path as it came, so anyone who
// reads the server's logs could take the badge. The secret must not reach a log line.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../src/platform/logger.ts';
import { anIssuedBadge, aStaffMember } from '../support/builders.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';
import { injectHttp, TestWallet } from '../support/test-wallet.ts';

describe(`a wallet exchange's secret stays out of the logs on ${testBackend}`, () => {
  let app: TestApp;
  const lines: string[] = [];

  before(async () => {
    // Everything logged at the most talkative level, kept to be searched.
    const logger = createLogger('trace', { write: (line: string) => lines.push(line) });
    app = await startTestApp({ runJobs: false, logger });
  });
  after(() => app?.close());

  test('a delivery through the exchange is logged without the secret in its address', async () => {
    const issued = await anIssuedBadge(app, { issuer: await aStaffMember(app, 'admin') });
    const learner = issued.learner.account!;
    const offer = await app.services.wallet.makeOffer(learner, issued.credentialId);
    const secret = new URL(offer.exchangeUrl).pathname.split('/').pop()!;
    assert.ok(secret.length >= 20);

    const wallet = await TestWallet.create();
    const { answer } = await wallet.completeExchange(offer.exchangeUrl, injectHttp(app));
    assert.equal(answer.status, 200);

    const logged = lines.join('\n');
    assert.match(logged, /\/wallet\/exchanges\//, 'the exchange requests were logged at all');
    assert.ok(!logged.includes(secret), 'a log line holds the exchange secret');
  });
});
