import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { anInstitution, aStaffMember, type Person } from '../../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { testBackend } from '../../../test/support/test-database.ts';
import { pngOf } from '../../../test/support/uploads.ts';

const headerOf = (html: string) => /<header class="site-header">[\s\S]*?<\/header>/.exec(html)?.[0] ?? '';
const brandOf = (html: string) => /<a class="brand"[\s\S]*?<\/a>/.exec(html)?.[0] ?? '';

describe(`the site header names the institution, on ${testBackend}`, () => {
  let app: TestApp;
  let admin: Person;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    admin = await aStaffMember(app, 'admin');
  });
  after(() => app.close());

  test('an empty install reads as Stackable, and only those who can set it up are told it is not set up', async () => {
    const empty = await startTestApp({ runJobs: false });
    try {
      const visitor = await empty.http.inject({ url: '/catalog' });
      assert.equal(visitor.statusCode, 200);
      assert.match(brandOf(visitor.body), />Stackable Micro-credentials</);
      assert.doesNotMatch(brandOf(visitor.body), /brand-mark|<img/);
      assert.match(visitor.body, /<title>[^<]*· Stackable Micro-credentials<\/title>/);
      assert.doesNotMatch(headerOf(visitor.body), /not set up/);

      const emptyAdmin = await (await aStaffMember(empty, 'admin')).signIn();
      const header = headerOf((await emptyAdmin.get('/catalog')).body);
      assert.match(
        header,
        /<a class="setup-tag" href="\/admin\/institution">Institution not set up yet<\/a>/,
      );
      const registrar = await (await aStaffMember(empty, 'registrar')).signIn();
      assert.doesNotMatch(headerOf((await registrar.get('/catalog')).body), /not set up/);
    } finally {
      await empty.close();
    }
  });

  test('without a logo the header shows the short name as a decorative mark beside the full name', async () => {
    await anInstitution(app, { name: 'Header Test University', shortName: 'HTU' });
    const brand = brandOf((await app.http.inject({ url: '/catalog' })).body);
    assert.match(brand, /<span class="brand-mark" aria-hidden="true">HTU<\/span>/);
    assert.match(brand, /<span class="brand-text">Header Test University Micro-credentials<\/span>/);
    assert.doesNotMatch((await (await admin.signIn()).get('/catalog')).body, /setup-tag/);
  });

  test('with a logo the header shows it, named by its text alternative and not written out again', async () => {
    await anInstitution(app, { name: 'Header Test University', shortName: 'HTU' });
    const png = pngOf(40, 20);
    await app.services.institution.replaceLogo(admin, { content: png, truncated: false });
    try {
      const brand = brandOf((await app.http.inject({ url: '/catalog' })).body);
      const src =
        /<img class="brand-logo" src="(\/institution\/logo\/[0-9a-f]{64})" alt="Header Test University"\/?>/.exec(
          brand,
        )?.[1];
      assert.ok(src, brand);
      assert.match(brand, /<span class="brand-text">Micro-credentials<\/span>/);
      assert.doesNotMatch(brand, /brand-mark/);
      const logo = await app.http.inject({ url: src });
      assert.equal(logo.statusCode, 200);
      assert.equal(logo.headers['content-type'], 'image/png');
      assert.deepEqual(logo.rawPayload, png);
    } finally {
      await app.services.institution.removeLogo(admin);
    }
  });

  test('the brand colour colours the header only while white text on it stays readable', async () => {
    await anInstitution(app, { name: 'Header Test University', shortName: 'HTU' });
    const styleOf = async () =>
      /<style>:root\{--brand:([^}]*)\}<\/style>/.exec((await app.http.inject({ url: '/help' })).body)?.[1];
    const setColour = async (colour: string) => {
      // A row from before the profile screen checked contrast: written directly, as no service would write it.
      await app.database.db.updateTable('institution').set({ primary_colour: colour }).execute();
      app.services.institution.forget();
    };
    try {
      await setColour('#1D4B3A');
      assert.equal(await styleOf(), '#1d4b3a');
      await setColour('#f2d16b');
      assert.equal(await styleOf(), undefined);
    } finally {
      await setColour('#0b4f6c');
    }
  });
});
