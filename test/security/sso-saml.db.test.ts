// Issue 18: single sign-on through SAML 2.0 must refuse every answer that is not signed by the provider, not meant
// for this site, out of date, already used, or not asked for by the browser posting it; each refusal is shown in
// plain words and audited with its reason. A good answer signs the person in and links their learner record by
// the student ID the provider asserts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AppError } from '../../src/platform/errors.ts';
import { BrowserSession } from '../support/browser-session.ts';
import { aLearner, anAccount } from '../support/builders.ts';
import type { TestSamlIdp } from '../support/saml-idp.ts';
import {
  answerFromSamlIdp,
  aSamlProvider,
  assertRefused,
  auditOf,
  postToApp,
  recordOfAccount,
} from '../support/sso.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const STUDENT_ID = 'urn:oid:1.3.6.1.4.1.5923.1.1.1.99';

/** Changes the signed assertion's e-mail address in transit, leaving the provider's signature as it was. */
function tampered(fields: Record<string, string>): Record<string, string> {
  const xml = Buffer.from(fields.SAMLResponse!, 'base64').toString('utf8');
  const changed = xml.replace('eve@campus.example.edu', 'mallory@campus.example.edu');
  assert.notEqual(changed, xml, 'the test must change something the signature covers');
  return { ...fields, SAMLResponse: Buffer.from(changed).toString('base64') };
}

describe('SAML sign-in refuses what it cannot trust', () => {
  let app: TestApp;
  let idp: TestSamlIdp;
  let slug: string;

  before(async () => {
    app = await startTestApp();
    // Unencrypted, so the tampering test can reach the signed text; encryption is shown in its own test.
    ({ idp, slug } = await aSamlProvider(app, { emailDomains: 'campus.example.edu' }, { encrypt: false }));
    idp.accounts.set('eve', {
      password: 'eve-pw',
      attributes: { mail: 'eve@campus.example.edu', displayName: 'Eve Adams' },
    });
  });
  after(async () => {
    await idp.close();
    await app.close();
  });

  const refusedWith = (response: Parameters<typeof assertRefused>[1], reason: string, message: RegExp) =>
    assertRefused(app, response, reason, message);

  test('a good answer signs the person in', async () => {
    const browser = new BrowserSession(app);
    const back = await postToApp(browser, await answerFromSamlIdp(browser, slug, 'eve', 'eve-pw'));
    assert.equal(back.statusCode, 303, back.body.slice(0, 300));
    assert.ok(back.cookies.find((c) => c.name === 'stackable_session'));
  });

  test('an assertion altered in transit is refused', async () => {
    const browser = new BrowserSession(app);
    const answer = await answerFromSamlIdp(browser, slug, 'eve', 'eve-pw');
    const back = await postToApp(browser, { ...answer, fields: tampered(answer.fields) });
    await refusedWith(back, 'assertion_signature_invalid', /could not be verified/);
  });

  test('an assertion meant for another site is refused', async () => {
    idp.answers.audience = 'https://another-site.example/sp';
    try {
      const browser = new BrowserSession(app);
      const back = await postToApp(browser, await answerFromSamlIdp(browser, slug, 'eve', 'eve-pw'));
      await refusedWith(back, 'wrong_audience', /meant for another site/);
    } finally {
      delete idp.answers.audience;
    }
  });

  test('an assertion addressed to another page is refused', async () => {
    idp.answers.recipient = 'https://another-site.example/acs';
    try {
      const browser = new BrowserSession(app);
      const back = await postToApp(browser, await answerFromSamlIdp(browser, slug, 'eve', 'eve-pw'));
      await refusedWith(back, 'wrong_recipient', /addressed to another page/);
    } finally {
      delete idp.answers.recipient;
    }
  });

  test('an expired assertion is refused (beyond the small clock skew)', async () => {
    idp.answers.clockOffsetMs = -10 * 60 * 1000;
    try {
      const browser = new BrowserSession(app);
      const back = await postToApp(browser, await answerFromSamlIdp(browser, slug, 'eve', 'eve-pw'));
      await refusedWith(back, 'assertion_expired', /had already expired/);
    } finally {
      delete idp.answers.clockOffsetMs;
    }
  });

  test('an answer replayed in a sign-in of its own is refused as a replay', async () => {
    const victim = new BrowserSession(app);
    const answer = await answerFromSamlIdp(victim, slug, 'eve', 'eve-pw');
    assert.equal((await postToApp(victim, answer)).statusCode, 303);
    // Someone who captured the posted answer starts a sign-in of their own and posts it there.
    const attacker = new BrowserSession(app);
    await answerFromSamlIdp(attacker, slug, 'eve', 'eve-pw');
    await refusedWith(await postToApp(attacker, answer), 'assertion_replayed', /already used/);
  });

  test('an answer nobody asked for is refused (unsolicited)', async () => {
    idp.answers.unsolicited = true;
    try {
      const browser = new BrowserSession(app);
      const back = await postToApp(browser, await answerFromSamlIdp(browser, slug, 'eve', 'eve-pw'));
      await refusedWith(back, 'unsolicited_response', /not asked for/);
    } finally {
      delete idp.answers.unsolicited;
    }
  });

  test('an answer posted by a browser that started no sign-in is refused', async () => {
    const answer = await answerFromSamlIdp(new BrowserSession(app), slug, 'eve', 'eve-pw');
    await refusedWith(
      await postToApp(new BrowserSession(app), answer),
      'no_sign_in_in_progress',
      /No sign-in was started in this browser/,
    );
  });

  test('an answer to another sign-in of the same person is refused', async () => {
    const browser = new BrowserSession(app);
    const first = await answerFromSamlIdp(browser, slug, 'eve', 'eve-pw');
    // The browser starts again; the first answer no longer answers its sign-in.
    await answerFromSamlIdp(browser, slug, 'eve', 'eve-pw');
    await refusedWith(
      await postToApp(browser, first),
      'wrong_in_response_to',
      /did not belong to the sign-in/,
    );
  });
});

describe('SAML sign-in with an encrypted assertion and a key rollover', () => {
  let app: TestApp;
  let idp: TestSamlIdp;

  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await idp?.close();
    await app.close();
  });

  test('a metadata address on a private or loopback network is refused by the SSRF guard, and nothing is stored', async () => {
    const admin = await anAccount(app, { roles: ['admin'] });
    for (const address of ['https://127.0.0.1:9/metadata', 'https://169.254.169.254/latest/meta-data']) {
      await assert.rejects(
        app.services.ssoProviders.saveProvider(admin, null, {
          slug: 'probe',
          buttonLabel: 'Probe',
          protocol: 'saml',
          idpMetadataUrl: address,
        }),
        (error: AppError) =>
          error.fields?.[0]?.field === 'idpMetadataUrl' && /never fetched/.test(error.fields[0].reason),
      );
    }
    const providers = await app.services.ssoProviders.overview(admin);
    assert.equal(providers.providers.filter((p) => p.slug === 'probe').length, 0);
  });

  test('a learner signing in for the first time is linked to their record by student ID', async () => {
    let slug: string;
    let id: string;
    ({ idp, slug, id } = await aSamlProvider(app, {}, { encrypt: true, rollover: true }));
    const learner = await aLearner(app, { account: false, studentId: 'S-4242', email: 'kim@home.example' });
    idp.accounts.set('kim', {
      password: 'kim-pw',
      attributes: {
        mail: 'kim.lee@campus.example.edu',
        givenName: 'Kim',
        sn: 'Lee',
        eduPersonAffiliation: ['student', 'member'],
        [STUDENT_ID]: 'S-4242',
      },
    });
    const browser = new BrowserSession(app);
    const answer = await answerFromSamlIdp(browser, slug, 'kim', 'kim-pw');
    assert.match(Buffer.from(answer.fields.SAMLResponse!, 'base64').toString(), /EncryptedAssertion/);
    const back = await postToApp(browser, answer);
    assert.equal(back.statusCode, 303, back.body.slice(0, 300));
    const account = await app.services.accounts.findUserWithin(app.database.db, {
      email: 'kim.lee@campus.example.edu',
    });
    assert.equal(account?.name, 'Kim Lee');
    assert.deepEqual(account?.roles, ['learner']);
    assert.equal((await recordOfAccount(app, account!.id))?.id, learner.id);
    const [signedIn] = await auditOf(app, 'sso.signed_in');
    assert.equal((signedIn?.after as { record?: string } | undefined)?.record, 'linked');

    // The administrator sees both certificates of the rollover kept, in words.
    const page = await (await anAccount(app, { roles: ['admin'] })).signIn();
    const provider = await page.get(`/admin/sso/providers/${id}`);
    assert.match(provider.body, /2 signing certificates, single logout/);
  });
});
