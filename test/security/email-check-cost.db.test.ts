// Attacker's review, limits: the e-mail patterns (`x@y.z`, with any character but spaces and @ in each part)
// backtrack quadratically on a long string of "a." that ends badly. Four checks ran the pattern before asking for a
// sane length: a program's contact lines (a multipart field holds 256 KB), and the e-mail cells of uploaded files (a
// cell holds 64 KB): a department head's in a structure file, a learner's in a tracking list (which a program lead
// uploads, up to 16 MB) and in a completions file (up to 50 MB). Each such value cost about a second of CPU, so one
// upload could hold a core for many minutes. The length is asked first now, so the same requests are refused at
// once.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../support/browser-session.ts';
import { anAccount, aStaffMember } from '../support/builders.ts';
import { uploadList } from '../support/issuing.ts';
import { cookieHeader, uploadCompletions } from '../support/learners.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

/** An address-like value the patterns take longest to refuse: many dots, and a second @ at the end. */
const slowAddress = (bytes: number) => `a@${'a.'.repeat(bytes / 2)}@`;

/** CPU seconds this process spent answering, which includes the app: `inject` runs it in this process. */
async function cpuSecondsOf<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  return { result, seconds: (used.user + used.system) / 1e6 };
}

describe(`e-mail checks cost little whatever is sent on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app?.close());

  const postMultipart = async (browser: BrowserSession, url: string, parts: string) => {
    const token = encodeURIComponent(await browser.csrfToken());
    return app.http.inject({
      method: 'POST',
      url: `${url}?_csrf=${token}`,
      payload: parts,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        cookie: cookieHeader(browser),
      },
    });
  };
  const boundary = `----cost${randomBytes(8).toString('hex')}`;
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const file = (name: string, content: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.csv"\r\n` +
    `Content-Type: text/csv\r\n\r\n${content}\r\n`;

  test("a program lead's contact line with a long address is refused without seconds of work", async () => {
    const lead = await (await aStaffMember(app, 'program_lead')).signIn();
    const parts = `${field('title', 'Costly Contacts')}${field('contacts', `Ana | ${slowAddress(120_000)} | Lead`)}--${boundary}--\r\n`;
    const { result, seconds } = await cpuSecondsOf(() => postMultipart(lead, '/programs/new', parts));
    assert.equal(result.statusCode, 400);
    assert.ok(seconds < 1.5, `the form took ${seconds.toFixed(2)} s of CPU`);
  });

  test("a structure file's long department-head addresses are refused without seconds of work", async () => {
    const registrar = await (await anAccount(app, { roles: ['registrar'] })).signIn();
    const rows = ['STVDEPT_CODE,STVDEPT_DESC,HEAD_EMAIL'];
    for (let i = 0; i < 4; i++) rows.push(`SLOW${i},Slow ${i},${slowAddress(60_000)}`);
    const parts = `${file('file', rows.join('\n'))}--${boundary}--\r\n`;
    const { result, seconds } = await cpuSecondsOf(() =>
      postMultipart(registrar, '/admin/departments/import', parts),
    );
    assert.ok(result.statusCode < 500, `answered ${result.statusCode}`);
    assert.match(result.body, /must be the e-mail address of a person with an account here/);
    assert.ok(seconds < 1.5, `the upload took ${seconds.toFixed(2)} s of CPU`);
  });

  test("a tracking list's long e-mail cells are refused without seconds of work", async () => {
    const lead = await (await aStaffMember(app, 'program_lead')).signIn();
    const rows = ['student_id,email,first_name,last_name,program,completion_date,term'];
    for (let i = 0; i < 4; i++) {
      rows.push(`S${i}0000001,${slowAddress(60_000)},Ana,Slow,some-program,2025-12-01,2025 Fall`);
    }
    const { result, seconds } = await cpuSecondsOf(() => uploadList(app, lead, 'slow.csv', rows.join('\n')));
    assert.ok(result.statusCode < 500, `answered ${result.statusCode}`);
    assert.ok(seconds < 1.5, `the upload took ${seconds.toFixed(2)} s of CPU`);
  });

  test("a completions file's long e-mail cells are refused without seconds of work", async () => {
    const registrar = await (await aStaffMember(app, 'registrar')).signIn();
    const rows = ['student_id,course_code,term,grade,credits,email'];
    for (let i = 0; i < 4; i++) rows.push(`S${i}0000001,BLD 101,2025 Fall,A,3,${slowAddress(60_000)}`);
    const { result, seconds } = await cpuSecondsOf(() =>
      uploadCompletions(app, registrar, 'slow.csv', rows.join('\n')),
    );
    assert.ok(result.statusCode < 500, `answered ${result.statusCode}`);
    assert.ok(seconds < 1.5, `the upload took ${seconds.toFixed(2)} s of CPU`);
  });
});
