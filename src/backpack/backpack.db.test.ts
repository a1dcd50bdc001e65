import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  claimPathIn,
  decodeQuotedPrintable,
  issueBadge,
  latestMailTo,
  startSmtp,
} from '../../test/support/backpack.ts';
import { BrowserSession } from '../../test/support/browser-session.ts';
import {
  aLearner,
  anInstitution,
  aProgram,
  aStaffMember,
  type Person,
  TEST_PASSWORD,
} from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { extractFromPng } from '../credentials/bake-png.ts';
import { extractFromSvg } from '../credentials/bake-svg.ts';
import { fixedClock } from '../platform/clock.ts';
import { createMailer } from '../platform/mail/mailer.ts';

// The people and programs this file builds before its tests (no demo university).
const LEARNER = 'rowan.achterberg@students.example';
const LEARNER_NAME = 'Rowan Achterberg';
const NEWCOMER = 'ngozi.adeyemi@students.example';
const INSTITUTION = 'Harbourside University';
const PUBLIC_URL = 'http://localhost:3999';
const DAY_MS = 24 * 60 * 60 * 1000;

describe(`backpack on ${testBackend}`, () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let app: TestApp;
  const clock = fixedClock(new Date());
  let people: Record<'learner' | 'office' | 'registrar' | 'lead', Person>;
  /** Program slugs by title: a credit-bearing default and two others. */
  const slugs: Record<string, string> = {};

  before(async () => {
    smtp = await startSmtp();
    app = await startTestApp({
      runJobs: false,
      clock,
      mailer: createMailer(smtp.url, 'Stackable <no-reply@example.edu>'),
    });
    await anInstitution(app, { name: INSTITUTION });
    for (const [title, creditType] of [
      ['Data Visualization', 'credit'],
      ['Persuasive Communication', 'non_credit'],
      ['Digital Security', 'credit'],
    ] as const) {
      slugs[title] = (await aProgram(app, { title, creditType })).slug;
    }
    await aLearner(app, { email: NEWCOMER, name: 'Ngozi Adeyemi', account: false });
    people = {
      learner: (await aLearner(app, { email: LEARNER, name: LEARNER_NAME })).account!,
      office: await aStaffMember(app, 'credentials_office'),
      registrar: await aStaffMember(app, 'registrar'),
      lead: await aStaffMember(app, 'program_lead'),
    };
  });
  after(async () => {
    await app.close();
    await smtp.close();
  });

  /** Delivers the newest mail to an address through the real SMTP server and returns its decoded raw text. */
  const deliveredTo = async (address: string) => {
    const mail = await latestMailTo(app, address);
    await app.services.notifications.deliver(mail.id);
    const received = smtp.received.filter((m) => m.to.includes(address)).at(-1);
    assert.ok(received, `the SMTP server received mail for ${address}`);
    return { mail, raw: decodeQuotedPrintable(received.raw) };
  };
  const signedIn = (who: keyof typeof people) => people[who].signIn();
  /** Issues a badge of one of this file's programs (Data Visualization unless named). */
  const issue = (learner: { email: string; name: string }, title = 'Data Visualization') =>
    issueBadge(app, learner, slugs[title]);
  /** Issued to the signed-up learner and accepted by them, so its page is shared (issue 19). */
  const issueAccepted = async (title = 'Data Visualization') => {
    const id = await issue({ email: LEARNER, name: LEARNER_NAME }, title);
    await app.services.backpack.accept(people.learner, id);
    return id;
  };
  const outboxCount = async (address: string) =>
    (await app.services.notifications.list({ to: address, limit: 100 })).length;

  test('an issued badge queues one claim mail whose link opens the claim page', async () => {
    const id = await issue({ email: 'Dana.Okoro@example.org', name: 'Dana Okoro' });
    const { mail, raw } = await deliveredTo('Dana.Okoro@example.org');
    assert.equal(mail.kind, 'badge_claim');
    assert.match(mail.subject, /Data Visualization/);
    assert.match(raw, /Hello Dana Okoro/);
    assert.match(raw, /Open Badges 3\.0/);
    assert.match(raw, /verify/i);
    const path = claimPathIn(raw);
    const page = await new BrowserSession(app).get(path);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Claim your badge/);
    assert.match(page.body, /Dana\.Okoro@example\.org/);

    // Only the token's hash is kept.
    const token = new URL(path, PUBLIC_URL).searchParams.get('token')!;
    const stored = await app.database.db
      .selectFrom('claim_tokens')
      .selectAll()
      .where('credential_id', '=', id)
      .execute();
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0]?.token_hash, token);
    assert.ok(!JSON.stringify(stored).includes(token));

    // Issuing again for the same credential (a re-run job) sends nothing more.
    await app.database.db.transaction().execute((trx) =>
      app.services.backpack.onCredentialIssued(trx, {
        credentialId: id,
        learnerEmail: 'Dana.Okoro@example.org',
        learnerName: 'Dana Okoro',
        programTitle: 'Data Visualization',
      }),
    );
    assert.equal(await outboxCount('Dana.Okoro@example.org'), 1);
  });

  test('a learner without an account sets a password, gets a learner account and the badge', async () => {
    const id = await issue({ email: NEWCOMER, name: 'Ngozi Adeyemi' });
    const path = claimPathIn((await deliveredTo(NEWCOMER)).raw);
    const token = new URL(path, PUBLIC_URL).searchParams.get('token')!;
    const browser = new BrowserSession(app);
    const form = await browser.get(path);
    assert.match(form.body, /Create my account and claim the badge/);

    const weak = await browser.postForm('/claim/account', {
      token,
      name: 'Ngozi Adeyemi',
      password: 'short',
      confirm: 'short',
    });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /at least 10 characters/);

    const done = await browser.postForm('/claim/account', {
      token,
      name: 'Ngozi Adeyemi',
      password: 'maple river lantern',
      confirm: 'maple river lantern',
    });
    assert.equal(done.statusCode, 303, done.body);
    assert.equal(done.headers.location, `/backpack?claimed=${id}`);
    const backpack = await browser.get('/backpack');
    assert.equal(backpack.statusCode, 200);
    assert.match(backpack.body, /Data Visualization/);
    assert.match(backpack.body, /Claimed on/);

    const db = app.database.db;
    const user = await db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', NEWCOMER)
      .executeTakeFirstOrThrow();
    const roles = await db.selectFrom('user_roles').select('role').where('user_id', '=', user.id).execute();
    assert.deepEqual(
      roles.map((r) => r.role),
      ['learner'],
    );
    const record = await db
      .selectFrom('learners')
      .select('user_id')
      .where('email', '=', NEWCOMER)
      .executeTakeFirstOrThrow();
    assert.equal(record.user_id, user.id);
    const item = await db
      .selectFrom('backpack_items')
      .selectAll()
      .where('credential_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(item.claimed_by_user_id, user.id);
    assert.ok(item.claimed_at);

    // The link worked once.
    const again = await new BrowserSession(app).get(path);
    assert.equal(again.statusCode, 410);
    assert.match(again.body, /already used/);
    const replay = await new BrowserSession(app).postForm('/claim/account', {
      token,
      name: 'Someone Else',
      password: 'another long passphrase',
      confirm: 'another long passphrase',
    });
    assert.equal(replay.statusCode, 410);
  });

  test('a learner with an account signs in first and comes back to a claimed badge', async () => {
    const id = await issue({ email: LEARNER, name: LEARNER_NAME }, 'Persuasive Communication');
    const path = claimPathIn((await deliveredTo(LEARNER)).raw);
    const browser = new BrowserSession(app);
    const page = await browser.get(path);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Sign in to claim your badge/);
    assert.match(page.body, /action="\/login"/);

    const login = await browser.postForm('/login', { email: LEARNER, password: TEST_PASSWORD, next: path });
    assert.equal(login.statusCode, 303);
    assert.equal(login.headers.location, path);
    const back = await browser.get(path);
    assert.equal(back.statusCode, 303);
    assert.equal(back.headers.location, `/backpack?claimed=${id}`);
    const backpack = await browser.get(back.headers.location as string);
    assert.match(backpack.body, /The badge is in your backpack/);
    assert.match(backpack.body, /Persuasive Communication/);
    const item = await app.database.db
      .selectFrom('backpack_items')
      .select('claimed_at')
      .where('credential_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.ok(item.claimed_at);
  });

  test('an expired link says so and offers a new one, which works', async () => {
    const address = 'late.learner@example.org';
    await issue({ email: address, name: 'Lee Late' });
    const oldPath = claimPathIn((await deliveredTo(address)).raw);
    const started = clock.now();
    clock.set(new Date(started.getTime() + 31 * DAY_MS));
    try {
      const browser = new BrowserSession(app);
      const expired = await browser.get(oldPath);
      assert.equal(expired.statusCode, 410);
      assert.match(expired.body, /has expired/);
      assert.match(expired.body, /action="\/claim\/resend"/);
      assert.match(expired.body, /value="late\.learner@example\.org"/);

      const sent = await browser.postForm('/claim/resend', { email: address });
      assert.equal(sent.statusCode, 200);
      const newPath = claimPathIn((await deliveredTo(address)).raw);
      assert.notEqual(newPath, oldPath);
      assert.equal((await browser.get(newPath)).statusCode, 200);
    } finally {
      clock.set(started);
    }
  });

  test('asking for a new link answers the same whether or not the address is known, and is rate-limited', async () => {
    const known = 'waiting.learner@example.org';
    await issue({ email: known, name: 'Wai Ting' });
    clock.set(new Date(clock.now().getTime() + 10 * 60 * 1000)); // past the pause between links
    const before = await outboxCount(known);
    const browser = new BrowserSession(app);
    const forKnown = await browser.postForm('/claim/resend', { email: known });
    const forUnknown = await browser.postForm('/claim/resend', { email: 'nobody.here@example.org' });
    assert.equal(forKnown.statusCode, forUnknown.statusCode);
    assert.equal(forKnown.body, forUnknown.body);
    assert.match(forKnown.body, /If a badge is waiting/);
    assert.equal(await outboxCount(known), before + 1);
    assert.equal(await outboxCount('nobody.here@example.org'), 0);

    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await browser.postForm('/claim/resend', { email: `someone${i}@example.org` })).statusCode,
      );
    }
    assert.ok(statuses.includes(429), `one of ${statuses.join(', ')} is refused`);
  });

  test('signed in under another address, the badge is not claimed; a revoked badge cannot be claimed', async () => {
    const id = await issue({ email: 'old.address@example.org', name: 'Ilse Varga' });
    const path = claimPathIn((await deliveredTo('old.address@example.org')).raw);
    const token = new URL(path, PUBLIC_URL).searchParams.get('token')!;
    const lead = await signedIn('lead');
    const refusedHere = await lead.get(path);
    assert.equal(refusedHere.statusCode, 403);
    assert.match(refusedHere.body, /Sign out and open the link again/);
    assert.equal((await lead.postForm('/claim', { token })).statusCode, 403);
    assert.equal(
      (
        await app.database.db
          .selectFrom('backpack_items')
          .select('claimed_at')
          .where('credential_id', '=', id)
          .executeTakeFirstOrThrow()
      ).claimed_at,
      null,
    );
    assert.doesNotMatch((await lead.get('/backpack')).body, new RegExp(`/backpack/${id}/baked.png`));

    const revokedId = await issue({ email: 'revoked.early@example.org', name: 'Rae Voked' });
    const revokedPath = claimPathIn((await deliveredTo('revoked.early@example.org')).raw);
    await app.services.credentials.changeStatus(
      { system: 'backpack test' },
      revokedId,
      'revoke',
      'Issued in error',
    );
    const refused = await new BrowserSession(app).get(revokedPath);
    assert.equal(refused.statusCode, 410);
    assert.match(refused.body, /This badge was revoked/);
  });

  test('the backpack offers working downloads: the baked PNG holds the credential', async () => {
    const id = await issue({ email: LEARNER, name: LEARNER_NAME });
    const browser = await signedIn('learner');
    const page = await browser.get('/backpack');
    for (const file of ['baked.png', 'baked.svg', 'credential.json', 'credential.jwt']) {
      assert.ok(page.body.includes(`href="/backpack/${id}/${file}"`), `links ${file}`);
    }
    const png = await browser.get(`/backpack/${id}/baked.png`);
    assert.equal(png.statusCode, 200);
    assert.equal(png.headers['content-type'], 'image/png');
    assert.match(String(png.headers['content-disposition']), /attachment/);
    const fromPng = JSON.parse(extractFromPng(new Uint8Array(png.rawPayload)) ?? '{}') as { id?: string };
    assert.equal(fromPng.id, `urn:uuid:${id}`);
    const svg = await browser.get(`/backpack/${id}/baked.svg`);
    assert.equal((JSON.parse(extractFromSvg(svg.body) ?? '{}') as { id?: string }).id, `urn:uuid:${id}`);
    const json = await browser.get(`/backpack/${id}/credential.json`);
    assert.equal((json.json() as { id: string }).id, `urn:uuid:${id}`);
    const jwt = await browser.get(`/backpack/${id}/credential.jwt`);
    assert.match(jwt.body, /^ey[\w-]+\.[\w-]+\.[\w-]+$/);

    // Someone else's backpack does not reach it.
    const stranger = await signedIn('lead');
    assert.equal((await stranger.get(`/backpack/${id}/baked.png`)).statusCode, 404);
  });

  test('a badge issued without a VC-JWT offers no VC-JWT download, and its other downloads stay', async () => {
    const admin = await aStaffMember(app, 'admin');
    const setJwt = async (vcJwt: string) => {
      const { values } = await app.services.institution.profile(admin);
      await app.services.institution.updateProfile(admin, { ...values, vcJwt });
    };
    await setJwt('off');
    try {
      const id = await issue({ email: LEARNER, name: LEARNER_NAME }, 'Persuasive Communication');
      const browser = await signedIn('learner');
      const page = await browser.get('/backpack');
      for (const file of ['baked.png', 'baked.svg', 'credential.json']) {
        assert.ok(page.body.includes(`href="/backpack/${id}/${file}"`), `links ${file}`);
      }
      assert.ok(!page.body.includes(`href="/backpack/${id}/credential.jwt"`), 'no link that answers 404');
      assert.equal((await browser.get(`/backpack/${id}/credential.jwt`)).statusCode, 404);
    } finally {
      await setJwt('EdDSA');
    }
  });

  test('the LinkedIn link pre-fills the certification form', async () => {
    const id = await issueAccepted('Digital Security');
    const page = await (await signedIn('learner')).get('/backpack');
    const href = [...page.body.matchAll(/href="(https:\/\/www\.linkedin\.com\/profile\/add\?[^"]+)"/g)]
      .map((m) => new URL(m[1]!.replaceAll('&amp;', '&')))
      .find((url) => url.searchParams.get('certId') === id);
    assert.ok(href, 'a LinkedIn link for the badge');
    const now = clock.now();
    assert.equal(href.searchParams.get('startTask'), 'CERTIFICATION_NAME');
    assert.equal(href.searchParams.get('name'), 'Digital Security');
    assert.equal(href.searchParams.get('organizationName'), INSTITUTION);
    assert.equal(href.searchParams.get('issueYear'), String(now.getUTCFullYear()));
    assert.equal(href.searchParams.get('issueMonth'), String(now.getUTCMonth() + 1));
    assert.equal(href.searchParams.get('certUrl'), `${PUBLIC_URL}/badges/${id}`);
  });

  test('a hidden badge is not found for others but still shown to its learner', async () => {
    const id = await issueAccepted();
    const owner = await signedIn('learner');
    const anonymous = new BrowserSession(app);
    const otherPerson = await signedIn('lead');
    assert.equal((await anonymous.get(`/badges/${id}`)).statusCode, 200);

    const hide = await owner.postForm(`/backpack/${id}/visibility`, { public: 'false' });
    assert.equal(hide.statusCode, 303);
    assert.equal((await anonymous.get(`/badges/${id}`)).statusCode, 404);
    assert.equal((await otherPerson.get(`/badges/${id}`)).statusCode, 404);
    assert.equal((await anonymous.get(`/credentials/${id}`)).statusCode, 404);
    const own = await owner.get(`/badges/${id}`);
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /Only you can see this page/);
    // Hidden or not, the learner's own downloads keep working.
    assert.equal((await owner.get(`/backpack/${id}/baked.png`)).statusCode, 200);
    const audit = await app.services.audit.list({ entityId: id, limit: 50, offset: 0 });
    assert.ok(JSON.stringify(audit).includes('credential.visibility_changed'));

    await owner.postForm(`/backpack/${id}/visibility`, { public: 'true' });
    assert.equal((await anonymous.get(`/badges/${id}`)).statusCode, 200);
  });

  test('badge pages asked for at the same time share their reads and each shows its own badge', async () => {
    const shown = [await issueAccepted('Data Visualization'), await issueAccepted('Digital Security')];
    const hidden = await issueAccepted('Persuasive Communication');
    await (await signedIn('learner')).postForm(`/backpack/${hidden}/visibility`, { public: 'false' });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const anonymous = new BrowserSession(app);
    const [first, second, hiddenPage, unknownPage, firstAgain] = await Promise.all(
      [...shown, hidden, unknown, shown[0]].map((id) => anonymous.get(`/badges/${id}?together=${id}`)),
    );
    for (const [page, id, title] of [
      [first, shown[0], 'Data Visualization'],
      [second, shown[1], 'Digital Security'],
      [firstAgain, shown[0], 'Data Visualization'],
    ] as const) {
      assert.equal(page!.statusCode, 200);
      assert.ok(page!.body.includes(`href="/verify?credential=${id}"`));
      assert.match(page!.body, new RegExp(`earned ${title}`));
      assert.match(page!.body, /<strong>Verified\.<\/strong>/);
    }
    assert.ok(!first!.body.includes(shown[1]!));
    assert.equal(hiddenPage!.statusCode, 404);
    assert.equal(unknownPage!.statusCode, 404);
  });

  test('the earner’s name is shown by default and can be left off', async () => {
    const id = await issueAccepted();
    const anonymous = new BrowserSession(app);
    assert.match(
      (await anonymous.get(`/badges/${id}`)).body,
      new RegExp(`Earned by</dt><dd>${LEARNER_NAME}`),
    );
    await (await signedIn('learner')).postForm(`/backpack/${id}/name`, { show: 'false' });
    const page = await anonymous.get(`/badges/${id}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, new RegExp(LEARNER_NAME));
  });

  test('the public page carries Open Graph and Twitter tags and a live verification', async () => {
    const id = await issueAccepted();
    const page = await new BrowserSession(app).get(`/badges/${id}`);
    assert.equal(page.statusCode, 200);
    const meta = (key: string) =>
      new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)"`).exec(page.body)?.[1];
    assert.equal(meta('og:title'), `${LEARNER_NAME} earned Data Visualization`);
    assert.ok(meta('og:description'));
    assert.equal(meta('og:image'), `${PUBLIC_URL}/catalog/${slugs['Data Visualization']}/badge.png`);
    assert.equal(meta('og:url'), `${PUBLIC_URL}/badges/${id}`);
    assert.equal(meta('twitter:card'), 'summary');
    const image = await new BrowserSession(app).get(`/catalog/${slugs['Data Visualization']}/badge.png`);
    assert.equal(image.headers['content-type'], 'image/png');
    assert.match(page.body, /<strong>Verified\.<\/strong>/);
    assert.ok(page.body.includes(`href="/verify?credential=${id}"`));
    assert.match(page.body, /Share this badge/);
  });

  test('a revoked badge says so with its date and reason category, offers no sharing, and the learner is told', async () => {
    const id = await issueAccepted();
    // A credit badge is the registrar's: only that office (or an administrator) changes its status.
    const change = await app.services.credentials.changeStatus(
      people.registrar,
      id,
      'revoke',
      'Grade changed on appeal',
    );
    await app.database.db.transaction().execute((trx) =>
      app.services.backpack.onCredentialRevoked(trx, {
        credentialId: id,
        reason: 'Grade changed on appeal',
        revokedAt: change.changedAt,
        category: 'requirements_not_met',
      }),
    );
    const page = await new BrowserSession(app).get(`/badges/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /This badge has been revoked/);
    assert.ok(page.body.includes(`datetime="${change.changedAt.toISOString().slice(0, 10)}"`));
    assert.match(page.body, /Requirements found not to be met/);
    assert.doesNotMatch(page.body, /Grade changed on appeal/);
    assert.match(page.body, /<strong>Not verified\.<\/strong>/);
    assert.doesNotMatch(page.body, /Share this badge|share-offsite|data-copy-field/);
    const notice = await latestMailTo(app, LEARNER);
    assert.equal(notice.kind, 'badge_revoked');
    assert.match(notice.text_body, /Grade changed on appeal/);
  });

  test('the credentials office edits the claim mail with a preview; placeholders are checked and escaped', async () => {
    const office = await signedIn('office');
    const page = await office.get('/backpack/templates');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /\{\{claimUrl\}\}/);
    assert.equal((await (await signedIn('learner')).get('/backpack/templates')).statusCode, 403);

    const html = '<p>Dear {{learnerName}}, <a href="{{claimUrl}}">claim {{programTitle}}</a></p>';
    const text = 'Dear {{learnerName}}, claim {{programTitle}} at {{claimUrl}}';
    const typo = await office.postForm('/backpack/templates', {
      action: 'save',
      subject: 'Badge for {{learnerNmae}}',
      text,
      html,
    });
    assert.equal(typo.statusCode, 400);
    assert.match(typo.body, /learnerNmae/);

    const preview = await office.postForm('/backpack/templates', {
      action: 'preview',
      subject: 'Your {{programTitle}} badge',
      text,
      html,
    });
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /Dear Sam O'Neill, claim Data Visualization/);
    assert.match(preview.body, /srcdoc="[^"]*Sam O&amp;#39;Neill/);

    const saved = await office.postForm('/backpack/templates', {
      action: 'save',
      subject: 'Claim: {{programTitle}}',
      text,
      html,
    });
    assert.equal(saved.statusCode, 303);
    const address = 'angle.brackets@example.org';
    await issue({ email: address, name: '<script>alert(1)</script> & Co' });
    const mail = await latestMailTo(app, address);
    assert.equal(mail.subject, 'Claim: Data Visualization');
    assert.ok(mail.html_body?.includes('Dear &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co,'));
    assert.ok(!mail.html_body?.includes('<script>'));
    assert.ok(mail.text_body.includes('Dear <script>alert(1)</script> & Co,'));
    claimPathIn(mail.text_body);

    assert.equal((await office.postForm('/backpack/templates', { action: 'reset' })).statusCode, 303);
    assert.match((await office.get('/backpack/templates')).body, /standard wording/);
  });
});
