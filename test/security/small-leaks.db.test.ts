import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderBadgeSvg } from '../../src/credentials/artwork.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { allRoles } from '../../src/platform/roles.ts';
import { parseProgramFields } from '../../src/programs/program-form.ts';
import type { BrowserSession } from '../support/browser-session.ts';
import { newPerson } from '../support/learners.ts';
import { listRoutes } from '../support/route-list.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { repeatsThePgliteRun, testBackend, writeCluster } from '../support/test-database.ts';

// Audit, issue 12, point 9: small leaks. A NUL in a query or path reached PostgreSQL and came back as a 500, a
// missing swagger file answered with an internal message, a non-ASCII `next` broke the redirect, bidi controls
// reordered badge text, and the embedded database's files were readable by every local user.

const ALL_ROLES = [...allRoles];

/** The query parameters the app's routes read, and a few more: a NUL in any of them must be refused cleanly. */
const QUERY_NAMES = [
  'q',
  'next',
  'token',
  'credential',
  'program',
  'email',
  'status',
  'page',
  'level',
  'department',
  'skill',
  'creditType',
  'maxCredits',
  'saved',
  'office',
];
const nulQuery = `?${QUERY_NAMES.map((name) => `${name}=a%00b`).join('&')}`;
const BIDI = [
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200E',
  '\u200F',
  '\u061C',
];

describe(`small leaks on ${testBackend}`, () => {
  let app: TestApp;
  let admin: BrowserSession;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    ({ browser: admin } = await newPerson(app, 'Nul Tester', ALL_ROLES));
  });
  after(() => app.close());

  const getRoutes = () => listRoutes(app.http).filter((r) => r.method === 'GET');

  /**
   * Requests each route's address as `fill` makes it. Never a 500; signed in with every role (so no access rule
   * answers first), exactly the 400 that names the field.
   */
  const sweep = async (
    routes: { url: string }[],
    fill: (url: string) => string,
    who: 'anonymous' | 'signed in',
  ) => {
    const broken: string[] = [];
    for (const route of routes) {
      const url = fill(route.url);
      const headers = { accept: 'application/json' };
      const response =
        who === 'anonymous' ? await app.http.inject({ url, headers }) : await admin.get(url, headers);
      const wrong = response.statusCode >= 500 || (who === 'signed in' && response.statusCode !== 400);
      if (wrong) broken.push(`${who} GET ${url} → ${response.statusCode}: ${response.body.slice(0, 300)}`);
    }
    return broken;
  };

  test('a NUL in the query string is a 400 on every GET route, never a 500', async () => {
    const fill = (url: string) => `${url.replace(/:[A-Za-z]+/g, 'x').replace(/\*$/, 'x')}${nulQuery}`;
    const broken = [
      ...(await sweep(getRoutes(), fill, 'anonymous')),
      ...(await sweep(getRoutes(), fill, 'signed in')),
    ];
    assert.deepEqual(broken, []);
  });

  test('a NUL in a path parameter is a 400 on every GET route that has one, never a 500', async () => {
    const withParams = getRoutes().filter((r) => /[:*]/.test(r.url));
    assert.ok(withParams.length > 10, 'the router listing lost its parameterised routes');
    const fill = (url: string) => url.replace(/:[A-Za-z]+/g, 'a%00b').replace(/\*$/, 'a%00b');
    const broken = [
      ...(await sweep(withParams, fill, 'anonymous')),
      ...(await sweep(withParams, fill, 'signed in')),
    ];
    assert.deepEqual(broken, []);
  });

  test('a NUL is refused with a 400 that names the field', async () => {
    const response = await admin.get('/admin/users?q=a%00b', { accept: 'application/json' });
    assert.equal(response.statusCode, 400);
    const problem = response.json();
    assert.equal(problem.code, 'VALIDATION_FAILED');
    assert.deepEqual(problem.errors, [
      { field: 'query.q', reason: 'must not contain a NUL character (%00)' },
    ]);
    const page = await app.http.inject({ url: '/catalog?q=%00' });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /NUL character/);
  });

  test('a NUL in a posted form field is refused, not passed to the database', async () => {
    const response = await admin.postForm('/admin/users', {
      name: 'Nul\u0000Person',
      email: 'nul.person@mail.example',
      roles: 'learner',
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /NUL character/);
  });

  test('a missing documentation file is a plain 404', async () => {
    for (const url of [
      '/docs/static/does-not-exist',
      '/docs/static/../../package.json',
      '/docs/static/%00',
    ]) {
      const response = await app.http.inject({ url });
      assert.ok([400, 404].includes(response.statusCode), `${url}: ${response.statusCode}`);
      assert.doesNotMatch(response.body, /ENOENT|no such file|node_modules|Cannot read|\.(js|ts):\d+/i, url);
    }
    const missing = await app.http.inject({ url: '/docs/static/does-not-exist' });
    assert.equal(missing.statusCode, 404);
  });

  test('a non-ASCII or foreign `next` never breaks the sign-in redirect', async () => {
    const nexts = [
      '%C3%A9%E2%80%AE',
      '/%C3%A9t%C3%A9%E2%80%AEgnp.exe',
      '%2F%2Fevil.example',
      '%2F%5Cevil.example',
      'https%3A%2F%2Fevil.example%2F',
      '%2F%09%2Fevil.example',
      '%00',
    ];
    for (const next of nexts) {
      const page = await app.http.inject({ url: `/login?next=${next}` });
      assert.ok(page.statusCode < 500, `GET /login?next=${next}: ${page.statusCode}`);
      const signedIn = await admin.get(`/login?next=${next}`);
      assert.ok(signedIn.statusCode < 500, `signed in, next=${next}: ${signedIn.statusCode}`);
      if (signedIn.statusCode === 302 || signedIn.statusCode === 303) {
        assert.match(String(signedIn.headers.location), /^\/(?![/\\])[\x21-\x7e]*$/, next);
      }
      const posted = await admin.postForm('/login', {
        email: 'nobody@mail.example',
        password: 'wrong',
        next: decodeURIComponent(next),
      });
      assert.ok(posted.statusCode < 500, `POST /login next=${next}: ${posted.statusCode}`);
    }
  });

  test('a local `next` is still followed after sign-in', async () => {
    const response = await admin.get('/login?next=%2Fadmin%2Fusers%3Fq%3Dada');
    assert.equal(response.headers.location, '/admin/users?q=ada');
  });
});

describe('badge artwork text', () => {
  const artwork = (title: string) =>
    renderBadgeSvg({
      title,
      level: 'undergraduate',
      institutionShortName: `Uni\u202Eversity`,
      institutionName: `Test \u2067University\u2069`,
      colours: { primary: '#0b4f6c', accent: '#f2a900' },
      credits: '3 credits\u200F',
    });

  test('bidi control characters never reach the SVG', () => {
    const svg = artwork(`Data ${BIDI.join('')}Visualization \u202Egnp.exe`);
    for (const control of BIDI) {
      assert.ok(!svg.includes(control), `U+${control.codePointAt(0)?.toString(16).toUpperCase()} in the SVG`);
    }
    assert.match(svg, /Visualization/);
  });
});

test('a program title with emoji is refused where it is entered, naming them', () => {
  const known = {
    departments: new Set<string>(),
    courses: new Set<string>(),
    certificates: new Set<string>(),
  };
  const parsed = parseProgramFields({ title: 'Data 🎓 Visualization 🇨🇦' }, known);
  assert.equal(parsed.ok, false);
  const title = parsed.ok ? undefined : parsed.problems.find((p) => p.field === 'title');
  assert.match(title?.reason ?? '', /🎓/);
  assert.match(title?.reason ?? '', /emoji/);
  const plain = parseProgramFields({ title: 'Données – Québec ✓' }, known);
  assert.ok(plain.ok || !plain.problems.some((p) => p.field === 'title'));
});

describe('the embedded database folder', { skip: repeatsThePgliteRun }, () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'stackable-perms-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const modeOf = (path: string) => statSync(path).mode & 0o777;

  test('a new data folder and its database folder are private to the owner', async () => {
    const dataDir = join(root, 'fresh');
    const config = loadConfig({ NODE_ENV: 'test', STACKABLE_DATA_DIR: dataDir });
    assert.equal(modeOf(dataDir), 0o700);
    assert.equal(config.database.kind, 'pglite');
    if (config.database.kind !== 'pglite') return;
    const database = await openDatabase(config.database);
    await database.close();
    assert.equal(modeOf(config.database.dataDir), 0o700);
  });

  test('an existing world-readable folder is tightened', async () => {
    const dataDir = join(root, 'old');
    await writeCluster(join(dataDir, 'pglite'), 'empty');
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'pglite'), 0o755);
    const config = loadConfig({ NODE_ENV: 'test', STACKABLE_DATA_DIR: dataDir });
    assert.equal(config.database.kind, 'pglite');
    if (config.database.kind !== 'pglite') return;
    const database = await openDatabase(config.database);
    await database.close();
    assert.equal(modeOf(dataDir), 0o700);
    assert.equal(modeOf(config.database.dataDir), 0o700);
  });
});
