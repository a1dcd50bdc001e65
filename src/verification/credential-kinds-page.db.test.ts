import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { aStaffMember } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import type { SigningKey } from '../credentials/credential-types.ts';
import { newDidKeySigningKey } from '../credentials/test-fixtures.ts';
import { aClr, anEndorsement, aPlainCredential, CLR_LEARNER, signedBy } from './credential-kind-fixtures.ts';

/** The name each check is shown under, in order ("Digital signature", …). */
const checkNamesOf = (html: string) =>
  [...html.matchAll(/<li class="check check-[a-z]+">[\s\S]*?<strong>([^<:]+):/g)].map((match) => match[1]);
/** The page's title (the browser tab). */
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];

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
    assert.equal(fact(html, 'Learner'), CLR_LEARNER.name);
    assert.match(fact(html, 'Issued by') ?? '', /Harbour Industry Panel/);
  });

  test('a CLR is checked against the CLR 2.0 schema, and one that breaks it is not verified', async () => {
    const good = await pasted(await signedBy(aClr(panel.did, ['Marine Electrics']), panel));
    assert.match(good, /The CLR follows the CLR 2\.0 ClrCredential schema/);
    const record = aClr(panel.did, ['Marine Electrics']);
    // Signed as it stands, so only the schema can fault it: CLR 2.0 requires at least one assertion.
    const empty = await signedBy(
      { ...record, credentialSubject: { ...record.credentialSubject, verifiableCredential: [] } },
      panel,
    );
    const html = await pasted(empty);
    assert.notEqual(pageVerdict(html), 'Verified');
    assert.match(html, /credentialSubject\.verifiableCredential must NOT have fewer than 1 items/);
  });

  test('a CLR that names its learner only by a hashed identifier says so in its facts, without the hash', async () => {
    const record = aClr(panel.did, ['Marine Electrics']);
    const hashed = 'sha256$4f0b0b7c3d2b8a51e9b07bd1a1a0d4b6f7c8e2d3a4b5c6d7e8f9a0b1c2d3e4f5';
    const subject = {
      ...record.credentialSubject,
      id: undefined,
      identifier: [
        { type: 'IdentityObject', identityType: 'emailAddress', hashed: true, identityHash: hashed },
      ],
    };
    const html = await pasted(
      await signedBy(JSON.parse(JSON.stringify({ ...record, credentialSubject: subject })), panel),
    );
    assert.equal(pageVerdict(html), 'Verified');
    assert.equal(fact(html, 'Learner'), 'Identified only by a hashed identifier');
    // The page's facts never show the hash (the credential's own JSON, further down, still holds it).
    assert.ok(!(fact(html, 'Learner') ?? '').includes('sha256$'));
  });

  test('a CLR is called a Comprehensive Learner Record, never by its type name or as Open Badges data', async () => {
    const html = await pasted(await signedBy(aClr(panel.did, ['Marine Electrics']), panel));
    assert.equal(fact(html, 'Comprehensive Learner Record'), 'Harbour College record');
    assert.deepEqual(checkNamesOf(html).slice(0, 2), [
      'Credential format',
      'Comprehensive Learner Record data',
    ]);
    assert.match(html, /This Comprehensive Learner Record is genuine/);
    assert.match(html, /<summary>Show the Comprehensive Learner Record data<\/summary>/);
    assert.match(titleOf(html) ?? '', /^Comprehensive Learner Record verified/);
    assert.doesNotMatch(html, /<dt>ClrCredential<\/dt>|Open Badges data|[Tt]his badge/);
    assert.match(html, /This Comprehensive Learner Record is valid since/);
  });

  test('an endorsement and a plain VC 2.0 credential are named plainly too, the plain one with its type beside', async () => {
    const endorsement = await pasted(
      await signedBy(anEndorsement(panel.did, 'https://college.example/a/1', 'Sound.'), panel),
    );
    assert.ok(fact(endorsement, 'Endorsement'));
    assert.equal(checkNamesOf(endorsement)[1], 'Endorsement data');
    assert.match(endorsement, /This endorsement is genuine/);
    assert.doesNotMatch(endorsement, /<dt>EndorsementCredential<\/dt>|Open Badges data|[Tt]his badge/);

    const plain = await pasted(await signedBy(aPlainCredential(panel.did), panel));
    assert.equal(pageVerdict(plain), 'Verified');
    assert.equal(fact(plain, 'Credential'), 'Dockyard site access');
    assert.equal(fact(plain, 'Type')?.trim(), 'SiteAccessPermit');
    assert.deepEqual(checkNamesOf(plain).slice(0, 2), ['Credential format', 'Credential data']);
    assert.match(plain, /This credential is genuine/);
    assert.doesNotMatch(plain, /<dt>SiteAccessPermit<\/dt>|Open Badges data|[Tt]his badge/);
  });

  test('a changed CLR is not verified, and its page says so', async () => {
    const clr = await signedBy(aClr(panel.did, ['Marine Electrics']), panel);
    const html = await pasted({ ...clr, name: 'A better record' });
    assert.notEqual(pageVerdict(html), 'Verified');
  });
});
