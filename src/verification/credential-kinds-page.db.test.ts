import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { aStaffMember } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import type { SigningKey } from '../credentials/credential-types.ts';
import { newDidKeySigningKey } from '../credentials/test-fixtures.ts';
import { aClr, anEndorsement, signedBy } from './credential-kind-fixtures.ts';

/** The verdict heading the page shows. */
const pageVerdict = (html: string) => /<h2 id="result-heading">([^<]+)<\/h2>/.exec(html)?.[1];
/** The text of the fact the page lists under `term` (its <dd>), tags removed. */
const fact = (html: string, term: string) =>
  new RegExp(`<dt>${term}</dt>\\s*<dd>([\\s\\S]*?)</dd>`).exec(html)?.[1]?.replace(/<[^>]+>/g, ' ');

describe(`endorsements and CLRs on the verify page on ${testBackend}`, () => {
  let app: TestApp;
  let browser: BrowserSession;
  let panel: SigningKey;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    const admin = await aStaffMember(app, 'admin');
    panel = await newDidKeySigningKey();
    await app.services.trustedIssuers.addIssuer(admin, { did: panel.did, name: 'Harbour Industry Panel' });
    browser = new BrowserSession(app);
    await browser.get('/verify');
  });
  after(() => app.close());

  const pasted = async (credential: object) => {
    const response = await browser.postForm('/verify', { text: JSON.stringify(credential) });
    assert.equal(response.statusCode, 200, response.body);
    return response.body;
  };

  test('an endorsement shows what it endorses and the comment', async () => {
    const endorsed = 'https://college.example/achievements/welding-basics';
    const html = await pasted(
      await signedBy(anEndorsement(panel.did, endorsed, 'Ready for site work.'), panel),
    );
    assert.equal(pageVerdict(html), 'Verified');
    const endorses = fact(html, 'Endorses') ?? '';
    assert.match(endorses, new RegExp(endorsed.replaceAll('.', '\\.')));
    assert.match(endorses, /Ready for site work\./);
    assert.equal(fact(html, 'Achievements'), undefined, 'an endorsement lists no achievements');
  });

  test("a CLR lists its assertions' achievements in order", async () => {
    const html = await pasted(
      await signedBy(aClr(panel.did, ['Marine Electrics', 'Hull Inspection']), panel),
    );
    assert.equal(pageVerdict(html), 'Verified');
    const listed = [
      ...(/<dt>Achievements<\/dt>\s*<dd>([\s\S]*?)<\/dd>/.exec(html)?.[1] ?? '').matchAll(
        /<li>([^<]*)<\/li>/g,
      ),
    ].map((match) => match[1]);
    assert.deepEqual(listed, ['Marine Electrics', 'Hull Inspection']);
    assert.equal(fact(html, 'Endorses'), undefined);
  });

  test('a changed CLR is not verified, and its page says so', async () => {
    const clr = await signedBy(aClr(panel.did, ['Marine Electrics']), panel);
    const html = await pasted({ ...clr, name: 'A better record' });
    assert.notEqual(pageVerdict(html), 'Verified');
  });
});
