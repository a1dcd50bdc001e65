import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  anInstitution,
  anIssuedBadge,
  aProgram,
  aStaffMember,
  type Person,
} from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { pngOf } from '../../test/support/uploads.ts';

const profile = (over: Record<string, string> = {}) => ({
  name: 'Cedar Ridge College of the Arts',
  shortName: 'CRCA',
  url: 'https://cedar.example',
  email: 'badges@cedar.example',
  timeZone: 'America/Denver',
  academicYearStartMonth: '8',
  primaryColour: '#2b3a67',
  accentColour: '#c1440e',
  defaultFee: '10',
  currency: 'USD',
  ...over,
});

describe(`the institution's name, colours and logo on its badges and /verify on ${testBackend}`, () => {
  let app: TestApp;
  let admin: Person;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    admin = await aStaffMember(app, 'admin');
    await anInstitution(app);
    await app.services.institution.updateProfile(admin, profile());
  });
  after(() => app.close());

  test('the badge artwork carries the institution’s names and colours, and follows a change to them', async () => {
    const program = await aProgram(app, { title: 'Printmaking Studio' });
    const first = await app.http.inject({ url: `/catalog/${program.slug}/badge.svg` });
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /CRCA/);
    assert.match(first.body, /Cedar Ridge College of the Arts/);
    assert.match(first.body, /#2b3a67/i);
    assert.match(first.body, /#c1440e/i);

    await app.services.institution.updateProfile(
      admin,
      profile({ name: 'Cedar Ridge University', shortName: 'CRU', primaryColour: '#5a1e4b' }),
    );
    try {
      const second = await app.http.inject({ url: `/catalog/${program.slug}/badge.svg` });
      assert.match(second.body, /Cedar Ridge University/);
      assert.match(second.body, />CRU</);
      assert.match(second.body, /#5a1e4b/i);
      assert.doesNotMatch(second.body, /#2b3a67/i);
      assert.notEqual(second.headers.etag, first.headers.etag);
    } finally {
      await app.services.institution.updateProfile(admin, profile());
    }
  });

  test('/verify shows the logo a badge of ours was issued with beside the issuer’s name', async () => {
    await app.services.institution.replaceLogo(admin, { content: pngOf(120, 60), truncated: false });
    const withLogo = (await app.services.institution.get()).logo_sha256;
    assert.ok(withLogo);
    const { credentialId } = await anIssuedBadge(app, { issuer: admin });
    // A later logo does not change what the badge was issued with.
    await app.services.institution.replaceLogo(admin, { content: pngOf(100, 100), truncated: false });

    const page = await app.http.inject({ url: `/verify?credential=${credentialId}` });
    assert.equal(page.statusCode, 200);
    const facts = page.body.slice(page.body.indexOf('class="badge-facts"'));
    assert.match(facts, new RegExp(`<img class="issuer-logo" src="/institution/logo/${withLogo}"`));
    const logo = await app.http.inject({ url: `/institution/logo/${withLogo}` });
    assert.equal(logo.statusCode, 200);
    assert.equal(logo.headers['content-type'], 'image/png');
  });
});
