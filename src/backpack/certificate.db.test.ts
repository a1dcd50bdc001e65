import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { aLearner, anIssuedBadge, aProgram } from '../../test/support/builders.ts';
import { nodesWithRole, readPdf } from '../../test/support/pdf.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

describe(`a badge's printable certificate on ${testBackend}`, () => {
  let app: TestApp;
  let badge: Awaited<ReturnType<typeof anIssuedBadge>>;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    const program = await aProgram(app, { title: 'Soil Carbon Accounting' });
    // A name outside Latin-1, to show the embedded font prints it as typed.
    const learner = await aLearner(app, { name: 'Zoë Łukasiewicz-Öztürk' });
    badge = await anIssuedBadge(app, { program, learner });
    // Its learner accepts it, so its public page (and with it the certificate) is shared.
    await app.services.backpack.accept(learner.account!, badge.credentialId);
  });
  after(() => app.close());

  test('the learner downloads a tagged one-page PDF whose QR code opens the badge page', async () => {
    const browser = await badge.learner.account!.signIn();
    const backpack = (await browser.get('/backpack')).body;
    assert.match(backpack, new RegExp(`href="/badges/${badge.credentialId}/certificate.pdf"`));
    const file = await browser.get(`/badges/${badge.credentialId}/certificate.pdf`);
    assert.equal(file.statusCode, 200, file.body.slice(0, 300));
    assert.equal(file.headers['content-type'], 'application/pdf');
    assert.equal(file.headers['cache-control'], 'no-store');
    assert.match(String(file.headers['content-disposition']), /soil-carbon-accounting-certificate\.pdf/);

    const pdf = await readPdf(file.rawPayload);
    try {
      assert.equal(pdf.pageCount, 1);
      assert.equal(pdf.title, 'Soil Carbon Accounting: certificate for Zoë Łukasiewicz-Öztürk');
      assert.equal(pdf.language, 'en');
      const text = (await pdf.texts()).join('\n');
      const pageUrl = `http://localhost:3999/badges/${badge.credentialId}`;
      for (const expected of [
        'Builders University',
        'Zoë Łukasiewicz-Öztürk',
        'Soil Carbon Accounting',
        'Skills: Soil Carbon Accounting skill',
        `See this badge: ${pageUrl}`,
        `Verify it: http://localhost:3999/verify?credential=${badge.credentialId}`,
      ]) {
        assert.ok(text.includes(expected), `the text has "${expected}":\n${text}`);
      }
      const year = String(new Date().getUTCFullYear());
      assert.match(text, new RegExp(`Issued on [A-Z][a-z]+ \\d{1,2}, ${year}`));
      assert.deepEqual(await pdf.qrCodes(), [pageUrl]);
      const tree = await pdf.structure();
      assert.equal(nodesWithRole(tree, 'H1').length, 1);
      const figures = nodesWithRole(tree, 'Figure');
      assert.ok(
        figures.some((f) => f.alt?.includes(pageUrl)),
        'the QR code is a figure naming its link',
      );
    } finally {
      await pdf.close();
    }
  });

  test('anyone who may open the public page may print it; a hidden badge has none for them', async () => {
    const visitor = new BrowserSession(app);
    const page = (await visitor.get(`/badges/${badge.credentialId}`)).body;
    assert.match(page, new RegExp(`href="/badges/${badge.credentialId}/certificate.pdf"`));
    assert.equal((await visitor.get(`/badges/${badge.credentialId}/certificate.pdf`)).statusCode, 200);

    await app.services.credentials.setPublic({ system: 'certificate test' }, badge.credentialId, false);
    assert.equal((await visitor.get(`/badges/${badge.credentialId}/certificate.pdf`)).statusCode, 404);
    const owner = await badge.learner.account!.signIn();
    assert.equal((await owner.get(`/badges/${badge.credentialId}/certificate.pdf`)).statusCode, 200);
    await app.services.credentials.setPublic({ system: 'certificate test' }, badge.credentialId, true);
    assert.equal((await visitor.get('/badges/not-a-badge/certificate.pdf')).statusCode, 404);
  });

  test('a revoked badge has no certificate, and its page offers none', async () => {
    const revoked = await anIssuedBadge(app);
    await app.services.credentials.changeStatus(
      { system: 'certificate test' },
      revoked.credentialId,
      'revoke',
      'Issued in error',
    );
    const owner = await revoked.learner.account!.signIn();
    const refused = await owner.get(`/badges/${revoked.credentialId}/certificate.pdf`);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /This badge was revoked, so it has no certificate/);
    const page = (await owner.get(`/badges/${revoked.credentialId}`)).body;
    assert.doesNotMatch(page, /certificate\.pdf/);
    assert.doesNotMatch((await owner.get('/backpack')).body, /certificate\.pdf/);
  });
});
