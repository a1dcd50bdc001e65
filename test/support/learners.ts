import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DEMO_PASSWORD } from '../../src/demo/demo-data.ts';
import type { Role } from '../../src/platform/roles.ts';
import { BrowserSession } from './browser-session.ts';
import type { TestApp } from './test-app.ts';

/** The Cookie header a BrowserSession would send. */
export const cookieHeader = (browser: BrowserSession) =>
  [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');

/** A browser signed in as one of the demo accounts. */
export async function signedIn(app: TestApp, email: string): Promise<BrowserSession> {
  const browser = new BrowserSession(app);
  await browser.login(email, DEMO_PASSWORD);
  return browser;
}

/** A new active account (no learner record), signed in. */
export async function newPerson(app: TestApp, name: string, roles: Role[] = []) {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomBytes(3).toString('hex')}@mail.example`;
  const id = await app.services.accounts.createUser(app.database.db, {
    email,
    name,
    password: DEMO_PASSWORD,
    roles,
  });
  return { id, email, browser: await signedIn(app, email) };
}

/** Uploads a file through the import page's multipart form, with the CSRF token in the action URL. */
export async function uploadCompletions(
  app: TestApp,
  browser: BrowserSession,
  fileName: string,
  content: Buffer | string,
  options: { csrf?: boolean } = {},
) {
  const boundary = `----stackable${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
        'Content-Type: text/csv\r\n\r\n',
    ),
    Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const token = options.csrf === false ? '' : `?_csrf=${encodeURIComponent(await browser.csrfToken())}`;
  return app.http.inject({
    method: 'POST',
    url: `/learners/imports${token}`,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: cookieHeader(browser) },
  });
}

/** Posts a CSV body to the completions API, as a browser session (cookies and CSRF header) or anonymously. */
export async function postCompletionsApi(
  app: TestApp,
  body: Buffer | string | Readable,
  browser?: BrowserSession,
) {
  return app.http.inject({
    method: 'POST',
    url: '/api/imports/completions?fileName=sis-extract.csv',
    payload: body,
    headers: { 'content-type': 'text/csv', ...(browser ? await browser.apiHeaders() : {}) },
  });
}

/** Row counts of the tables an import writes, to show that a refused file wrote nothing. */
export async function importTableCounts(app: TestApp) {
  const db = app.database.db;
  const count = async (table: 'completions' | 'completion_imports' | 'completion_import_rows') =>
    Number((await db.selectFrom(table).select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return {
    completions: await count('completions'),
    imports: await count('completion_imports'),
    importRows: await count('completion_import_rows'),
  };
}
