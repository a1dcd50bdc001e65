import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import { anIssuedBadge, aProgram, aStaffMember, type Person } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { multipartFile, pngOf } from '../../test/support/uploads.ts';

/** The parts of a credential's JSON these tests read. */
type BadgeJson = { issuer: { name: string; url: string; email: string; image?: unknown } };
const badgeJson = async (app: TestApp, id: string) =>
  (await app.services.credentials.find(id))?.json as unknown as BadgeJson;

/** A whole profile that passes every check; tests change the fields they are about. */
const profile = (over: Record<string, string> = {}) => ({
  name: 'Lakeshore Polytechnic',
  shortName: 'LP',
  url: 'https://lakeshore.example',
  email: 'badges@lakeshore.example',
  phone: '+1 555 0199',
  address: '9 Shore Road, Port Vale',
  timeZone: 'America/Chicago',
  academicYearStartMonth: '8',
  introduction: 'Lakeshore Polytechnic offers short programs for working people.',
  primaryColour: '#1d4b3a',
  accentColour: '#e0a526',
  defaultFee: '25.50',
  currency: 'CAD',
  feePolicy: 'Fees are waived for veterans.',
  transcriptAnswer: '',
  financialAidAnswer: '',
  ...over,
});

const evilSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)">
  <script>alert(document.cookie)</script>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>
  <image href="https://tracker.example/p.png" width="1" height="1"/>
  <style>rect { fill: url(https://tracker.example/f) }</style>
  <rect width="10" height="10" fill="#1d4b3a"/>
</svg>`;

describe(`the institution profile on ${testBackend}`, () => {
  let app: TestApp;
  let admin: Person;
  let adminBrowser: BrowserSession;
  let registrarBrowser: BrowserSession;

  const putProfile = async (browser: BrowserSession, body: unknown) =>
    app.http.inject({
      method: 'PUT',
      url: '/api/institution',
      payload: body as Record<string, string>,
      headers: { ...(await browser.apiHeaders()), accept: 'application/json' },
    });
  const uploadLogo = async (browser: BrowserSession, filename: string, type: string, content: Buffer) => {
    const { payload, contentType } = multipartFile('file', filename, type, content);
    const token = encodeURIComponent(await browser.csrfToken());
    return app.http.inject({
      method: 'POST',
      url: `/admin/institution/logo?_csrf=${token}`,
      payload,
      headers: {
        'content-type': contentType,
        cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
  };
  const lastAudit = (action: string) =>
    app.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', action)
      .orderBy('id', 'desc')
      .executeTakeFirst();

  before(async () => {
    app = await startTestApp({ runJobs: false });
    admin = await aStaffMember(app, 'admin');
    adminBrowser = await admin.signIn();
    registrarBrowser = await (await aStaffMember(app, 'registrar')).signIn();
    assert.equal((await putProfile(adminBrowser, profile())).statusCode, 200);
  });
  after(() => app.close());

  test('an empty install shows admins a "not set up yet" banner linking to the profile', async () => {
    const empty = await startTestApp({ runJobs: false });
    try {
      const emptyAdmin = await (await aStaffMember(empty, 'admin')).signIn();
      const home = await emptyAdmin.get('/home');
      assert.match(home.body, /not set up yet/);
      assert.match(home.body, /href="\/admin\/institution"/);
      assert.match((await emptyAdmin.get('/admin/institution')).body, /Not set up yet/);
      const registrar = await (await aStaffMember(empty, 'registrar')).signIn();
      assert.doesNotMatch((await registrar.get('/home')).body, /not set up yet/);
    } finally {
      await empty.close();
    }
  });

  test('an admin saves the profile through the form; pages show it at once and the change is audited', async () => {
    const saved = await adminBrowser.postForm(
      '/admin/institution',
      profile({ name: 'Lakeshore Form College' }),
    );
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/admin/institution?done=saved');
    // The 60-second cache was forgotten: the very next page names the new institution.
    assert.match((await adminBrowser.get('/home')).body, /Lakeshore Form College Micro-credentials/);
    const entry = await lastAudit('institution.profile_changed');
    assert.equal((entry?.after as { name?: string } | undefined)?.name, 'Lakeshore Form College');
    assert.equal(entry?.actor_id, admin.id);
  });

  test('refused form values come back beside their fields, with a linked summary, and nothing is saved', async () => {
    await putProfile(adminBrowser, profile({ name: 'Kept Name University' }));
    const refused = await adminBrowser.postForm(
      '/admin/institution',
      profile({
        name: 'Never Saved',
        primaryColour: '#ffffff',
        accentColour: '#777777',
        timeZone: 'Mars/Olympus',
      }),
    );
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /href="#primaryColour">Brand colour cannot be white/);
    assert.match(refused.body, /href="#accentColour">Accent colour is too close to the middle/);
    assert.match(refused.body, /href="#timeZone">Time zone must be an IANA time zone/);
    assert.match(refused.body, /value="Never Saved"/);
    assert.equal((await app.services.institution.get()).name, 'Kept Name University');
  });

  test('the JSON API reads and replaces the profile; refused values are a 422 naming each field', async () => {
    const refused = await putProfile(
      adminBrowser,
      profile({ primaryColour: '#ffe066', currency: 'JPY', email: 'nobody', defaultFee: '-3' }),
    );
    assert.equal(refused.statusCode, 422);
    assert.match(String(refused.headers['content-type']), /application\/problem\+json/);
    const fields = (refused.json().errors as { field: string; reason: string }[]).map((e) => e.field).sort();
    assert.deepEqual(fields, ['currency', 'defaultFee', 'email', 'primaryColour']);
    assert.match(refused.json().detail, /primaryColour: gives white text a contrast of only 1\.3/);

    const saved = await putProfile(
      adminBrowser,
      profile({ name: 'Lakeshore API Institute', currency: 'eur' }),
    );
    assert.equal(saved.statusCode, 200);
    assert.equal(saved.json().currency, 'EUR');
    const read = await adminBrowser.get('/api/institution', { accept: 'application/json' });
    assert.equal(read.json().name, 'Lakeshore API Institute');
    assert.equal(read.json().defaultFee, '25.50');
    assert.equal(read.json().isSetUp, true);
    const spec = (await app.http.inject({ url: '/docs/json' })).json();
    assert.ok(spec.paths['/api/institution'].put, 'PUT /api/institution is in the OpenAPI document');
  });

  test('the academic year’s first month is set through the API and the form, and only 1 to 12 is taken', async () => {
    for (const month of ['0', '13', 'September', '']) {
      const refused = await putProfile(adminBrowser, profile({ academicYearStartMonth: month }));
      assert.equal(refused.statusCode, 422, `"${month}" is refused`);
      assert.deepEqual(
        refused.json().errors.map((e: { field: string }) => e.field),
        ['academicYearStartMonth'],
      );
    }
    assert.equal((await putProfile(adminBrowser, profile({ academicYearStartMonth: '1' }))).statusCode, 200);
    const read = await adminBrowser.get('/api/institution', { accept: 'application/json' });
    assert.equal(read.json().academicYearStartMonth, '1');
    assert.equal((await app.services.institution.get()).academic_year_start_month, 1);

    const saved = await adminBrowser.postForm('/admin/institution', profile({ academicYearStartMonth: '7' }));
    assert.equal(saved.statusCode, 303);
    assert.equal((await app.services.institution.get()).academic_year_start_month, 7);
    const form = (await adminBrowser.get('/admin/institution')).body;
    assert.match(form, /<option value="7" selected[^>]*>July<\/option>/);
  });

  test('the periodic review rhythm is set through the API and the form, 1 to 10 years, and kept when left out', async () => {
    for (const years of ['0', '11', 'five', '2.5']) {
      const refused = await putProfile(adminBrowser, profile({ periodicReviewYears: years }));
      assert.equal(refused.statusCode, 422, `"${years}" is refused`);
      assert.deepEqual(
        refused.json().errors.map((e: { field: string }) => e.field),
        ['periodicReviewYears'],
      );
    }
    assert.equal((await putProfile(adminBrowser, profile({ periodicReviewYears: '3' }))).statusCode, 200);
    const read = await adminBrowser.get('/api/institution', { accept: 'application/json' });
    assert.equal(read.json().periodicReviewYears, '3');
    // A caller written before the setting existed leaves it as it was.
    assert.equal((await putProfile(adminBrowser, profile())).statusCode, 200);
    assert.equal((await app.services.institution.get()).periodic_review_years, 3);

    const saved = await adminBrowser.postForm('/admin/institution', profile({ periodicReviewYears: '7' }));
    assert.equal(saved.statusCode, 303);
    assert.equal((await app.services.institution.get()).periodic_review_years, 7);
    const form = (await adminBrowser.get('/admin/institution')).body;
    assert.match(form, /<option value="7" selected[^>]*>7 years<\/option>/);
    const audited = await lastAudit('institution.profile_changed');
    assert.ok(audited);
    assert.equal((audited.after as { periodic_review_years?: number }).periodic_review_years, 7);
  });

  test('only administrators reach the profile, its API, the logo form and key rotation', async () => {
    assert.equal((await registrarBrowser.get('/admin/institution')).statusCode, 403);
    assert.equal(
      (await registrarBrowser.get('/api/institution', { accept: 'application/json' })).statusCode,
      403,
    );
    assert.equal((await putProfile(registrarBrowser, profile({ name: 'Taken Over' }))).statusCode, 403);
    assert.equal((await registrarBrowser.postForm('/admin/institution', profile())).statusCode, 403);
    assert.equal((await registrarBrowser.postForm('/admin/institution/keys/rotate', {})).statusCode, 403);
    const logo = await uploadLogo(registrarBrowser, 'logo.png', 'image/png', pngOf(64, 64));
    assert.equal(logo.statusCode, 403);
    assert.equal((await app.http.inject({ url: '/api/institution' })).statusCode, 401);
    assert.notEqual((await app.services.institution.get()).name, 'Taken Over');
  });

  test('a PNG logo is stored, audited and served at a stable address by its hash', async () => {
    const png = pngOf(120, 60);
    const uploaded = await uploadLogo(adminBrowser, 'logo.png', 'application/octet-stream', png);
    assert.equal(uploaded.statusCode, 303);
    assert.equal(uploaded.headers.location, '/admin/institution?done=logo');
    const sha = (await app.services.institution.get()).logo_sha256;
    assert.match(sha ?? '', /^[0-9a-f]{64}$/);
    const served = await app.http.inject({ url: `/institution/logo/${sha}` });
    assert.equal(served.statusCode, 200);
    assert.equal(served.headers['content-type'], 'image/png');
    assert.match(String(served.headers['cache-control']), /immutable/);
    assert.deepEqual(served.rawPayload, png);
    assert.equal((await app.http.inject({ url: '/institution/logo' })).headers['content-type'], 'image/png');
    assert.equal((await lastAudit('institution.logo_changed'))?.actor_id, admin.id);
    assert.match(
      (await adminBrowser.get('/admin/institution')).body,
      new RegExp(`src="/institution/logo/${sha}"`),
    );
  });

  test('a malicious SVG logo is stored sanitized, and served so nothing in it could run', async () => {
    const uploaded = await uploadLogo(adminBrowser, 'logo.svg', 'image/svg+xml', Buffer.from(evilSvg));
    assert.equal(uploaded.headers.location, '/admin/institution?done=logo_cleaned');
    const served = await app.http.inject({ url: '/institution/logo' });
    assert.equal(served.headers['content-type'], 'image/svg+xml');
    assert.equal(served.headers['content-security-policy'], "default-src 'none'; style-src 'unsafe-inline'");
    assert.equal(served.headers['x-content-type-options'], 'nosniff');
    assert.doesNotMatch(served.body, /script|onload|foreignObject|tracker\.example|xhtml/);
    assert.match(served.body, /<rect width="10" height="10" fill="#1d4b3a"\/>/);
    const entry = await lastAudit('institution.logo_changed');
    assert.ok(((entry?.after as { removed?: string[] } | undefined)?.removed ?? []).length > 0);
  });

  test('a logo that is not a PNG or SVG, or too large, is refused on the page with the reason', async () => {
    const gif = await uploadLogo(adminBrowser, 'logo.png', 'image/png', Buffer.from('GIF89a not really'));
    assert.equal(gif.statusCode, 422);
    assert.match(gif.body, /The logo was not saved/);
    assert.match(gif.body, /must be a PNG or SVG image/);
    const huge = await uploadLogo(adminBrowser, 'logo.svg', 'image/svg+xml', Buffer.alloc(300 * 1024, 0x20));
    assert.equal(huge.statusCode, 422);
    assert.match(huge.body, /at most 256 KB/);
  });

  test('new badges name the issuer as the profile says; a badge issued before a change still verifies as it was', async () => {
    await putProfile(adminBrowser, profile({ name: 'Old Name College', shortName: 'ONC' }));
    await app.services.institution.removeLogo(admin);
    const program = await aProgram(app);
    const earlier = await anIssuedBadge(app, { program });
    const earlierJson = await badgeJson(app, earlier.credentialId);
    assert.equal(earlierJson.issuer.name, 'Old Name College');
    assert.equal(earlierJson.issuer.image, undefined);

    await putProfile(adminBrowser, profile({ name: 'New Name University', shortName: 'NNU' }));
    await uploadLogo(adminBrowser, 'logo.png', 'image/png', pngOf(64, 64));
    const sha = (await app.services.institution.get()).logo_sha256;
    const rotated = await adminBrowser.postForm('/admin/institution/keys/rotate', {});
    assert.equal(rotated.statusCode, 303);

    const later = await anIssuedBadge(app, { program });
    const laterJson = await badgeJson(app, later.credentialId);
    assert.equal(laterJson.issuer.name, 'New Name University');
    assert.equal(laterJson.issuer.url, 'https://lakeshore.example');
    assert.equal(laterJson.issuer.email, 'badges@lakeshore.example');
    assert.deepEqual(laterJson.issuer.image, {
      id: `${app.config.publicUrl}/institution/logo/${sha}`,
      type: 'Image',
    });
    const artwork = await app.services.credentials.programArtwork(program.slug);
    assert.match(artwork?.svg ?? '', /NNU/);

    for (const json of [earlierJson, laterJson]) {
      const report = await app.services.verification.verifyObject(json);
      assert.equal(report.verified, true, JSON.stringify(report).slice(0, 400));
    }
    const stored = await badgeJson(app, earlier.credentialId);
    assert.equal(stored.issuer.name, 'Old Name College');
  });

  test('signing keys are listed without private material, and rotating one is audited', async () => {
    await anIssuedBadge(app);
    const keysBefore = await app.services.credentials.signingKeys();
    const rotated = await adminBrowser.postForm('/admin/institution/keys/rotate', {});
    assert.equal(rotated.headers.location, '/admin/institution?done=rotated');
    const entry = await lastAudit('credentials.key_rotated');
    assert.equal(entry?.actor_id, admin.id);
    const page = (await adminBrowser.get('/admin/institution?done=rotated')).body;
    assert.match(page, /A new signing key is in use/);
    assert.match(page, new RegExp(`<code>key-${keysBefore.length + 1}</code></td><td>Ed25519</td>`));
    assert.match(page, /Retired [A-Z][a-z]+ \d{1,2}, \d{4}/);
    const sealed = await app.database.db.selectFrom('issuer_keys').select('private_key_sealed').execute();
    for (const { private_key_sealed } of sealed)
      assert.ok(!page.includes(String(private_key_sealed).slice(0, 24)));
  });

  test('program pages and the home page use the profile’s answers, fee policy, currency and introduction', async () => {
    await putProfile(
      adminBrowser,
      profile({
        transcriptAnswer: 'The registrar posts a notation for every badge.',
        financialAidAnswer: '',
        feePolicy: 'Fees are waived for veterans.',
        currency: 'EUR',
        introduction: 'Short programs on the lake shore.',
      }),
    );
    const program = await aProgram(app, { feeCents: 1500 });
    const page = (await app.http.inject({ url: `/catalog/${program.slug}` })).body;
    assert.match(page, /The registrar posts a notation for every badge\./);
    assert.match(page, /Aid can pay for courses that also count toward the degree/);
    assert.match(page, /Fees are waived for veterans\./);
    assert.match(page, /€15\.00/);
    assert.match(page, /"priceCurrency":"EUR"/);
    assert.match((await app.http.inject({ url: '/' })).body, /Short programs on the lake shore\./);
  });
});
