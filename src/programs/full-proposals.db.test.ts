import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import {
  aLearner,
  anEnrolment,
  anInstitution,
  aProgram,
  aStaffMember,
  type Person,
} from '../../test/support/builders.ts';
import { aDocx, aPdf, fullProposalAnswers } from '../../test/support/full-proposals.ts';
import { textOf } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { multipartFile } from '../../test/support/uploads.ts';
import { fixedClock } from '../platform/clock.ts';

describe(`the post-pilot full proposal on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;
  let leadBrowser: BrowserSession;
  let approverBrowser: BrowserSession;

  before(async () => {
    app = await startTestApp({ runJobs: false, clock: fixedClock('2026-10-06T12:00:00Z') });
    await anInstitution(app);
    lead = await aStaffMember(app, 'program_lead', { name: 'Lena Lead' });
    leadBrowser = await lead.signIn();
    approverBrowser = await (await aStaffMember(app, 'approver')).signIn();
  });
  after(() => app.close());

  const aPilot = () =>
    aProgram(app, { status: 'pilot', pilotStartedOn: '2024-09-01', pilotStartYear: 2024, lead });
  const page = (id: string, browser = leadBrowser) => browser.get(`/programs/${id}/full-proposal`);
  const upload = async (browser: BrowserSession, id: string, filename: string, content: Buffer) => {
    const { payload, contentType } = multipartFile('document', filename, 'application/pdf', content);
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const token = encodeURIComponent(await browser.csrfToken());
    return app.http.inject({
      method: 'POST',
      url: `/programs/${id}/full-proposal/documents?_csrf=${token}`,
      payload,
      headers: { 'content-type': contentType, cookie },
    });
  };
  const documentsOf = (id: string) =>
    app.database.db
      .selectFrom('full_proposal_documents')
      .select(['id', 'filename', 'content_type'])
      .where('program_id', '=', id)
      .execute();
  const auditActions = async (id: string) =>
    (
      await app.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', id)
        .orderBy('id')
        .execute()
    ).map((r) => r.action);

  test('a draft is saved while incomplete, its evidence first written from the pilot’s records', async () => {
    const program = await aPilot();
    const learner = await aLearner(app);
    await anEnrolment(app, learner, program, { enrolledOn: '2025-01-15', status: 'completed' });
    const first = textOf((await page(program.id)).body);
    assert.match(
      first,
      /From September 1, 2024 to October 6, 2026: 1 learner enrolled, 1 completed the program/,
    );
    assert.doesNotMatch(first, /\d{4}-\d{2}-\d{2}/, 'no date is written as the records keep it');

    const saved = await leadBrowser.postForm(`/programs/${program.id}/full-proposal`, {
      pilot_outcome: 'Good so far.',
      intent: 'save',
    });
    assert.equal(saved.statusCode, 303);
    const row = await app.database.db
      .selectFrom('full_proposals')
      .selectAll()
      .where('program_id', '=', program.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.pilot_outcome, 'Good so far.');
    assert.equal(row.submitted_at, null);
    assert.deepEqual(await auditActions(program.id), ['program.full_proposal_saved']);
  });

  test('an upload that is of the wrong kind, too big or empty is refused beside its field, and nothing is kept', async () => {
    const program = await aPilot();
    const cases: [string, Buffer, RegExp][] = [
      [
        'proposal.pdf',
        Buffer.from('<html><body>not a PDF</body></html>'),
        /must be a PDF, Word \(DOCX\) or OpenDocument/,
      ],
      ['proposal.pdf', Buffer.alloc(10 * 1024 * 1024 + 10, 0x25), /must be at most 10 MB/],
      ['proposal.pdf', Buffer.alloc(0), /is an empty file/],
    ];
    for (const [name, content, reason] of cases) {
      const refused = await upload(leadBrowser, program.id, name, content);
      assert.equal(refused.statusCode, 400, String(reason));
      assert.match(textOf(refused.body), reason);
      assert.match(refused.body, /aria-invalid="true"/);
    }
    assert.deepEqual(await documentsOf(program.id), []);
  });

  test('a PDF and a DOCX are kept with their name, size, uploader and date, and the lead may remove one', async () => {
    const program = await aPilot();
    assert.equal((await upload(leadBrowser, program.id, 'Full proposal.pdf', await aPdf())).statusCode, 303);
    assert.equal((await upload(leadBrowser, program.id, 'budget.pdf', aDocx())).statusCode, 303);
    const documents = await documentsOf(program.id);
    assert.deepEqual(
      documents.map((d) => [d.filename, d.content_type]),
      [
        ['Full proposal.pdf', 'application/pdf'],
        ['budget.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ],
    );
    const listed = textOf((await page(program.id)).body);
    assert.match(listed, /Full proposal\.pdf\s+\d+ (KB|bytes)\s+Lena Lead\s+October 6, 2026/);
    const removed = await leadBrowser.postForm(
      `/programs/${program.id}/full-proposal/documents/${documents[1]!.id}/remove`,
      {},
    );
    assert.equal(removed.statusCode, 303);
    assert.deepEqual(
      (await documentsOf(program.id)).map((d) => d.filename),
      ['Full proposal.pdf'],
    );
    assert.deepEqual(await auditActions(program.id), [
      'program.full_proposal_document_uploaded',
      'program.full_proposal_document_uploaded',
      'program.full_proposal_document_removed',
    ]);
  });

  test('submitting an incomplete full proposal names each missing field and changes nothing else', async () => {
    const program = await aPilot();
    const refused = await leadBrowser.postForm(`/programs/${program.id}/full-proposal`, {
      pilot_outcome: 'The pilot went well.',
      enrolment_evidence: '',
      intent: 'submit',
    });
    assert.equal(refused.statusCode, 400);
    const text = textOf(refused.body);
    for (const reason of [
      /Enrolment and completion evidence is required to submit/,
      /Changes proposed for the established program is required to submit/,
      /Resources is required to submit/,
      /Assessment plan is required to submit/,
      /The document is required: upload the full proposal document/,
    ]) {
      assert.match(text, reason);
    }
    assert.doesNotMatch(text, /Summary of the pilot’s outcome is required/);
    assert.match(refused.body, /The pilot went well\./, 'what was typed is shown again');
    const status = await app.database.db
      .selectFrom('programs')
      .select('status')
      .where('id', '=', program.id)
      .executeTakeFirstOrThrow();
    assert.equal(status.status, 'pilot');
  });

  test('who may open a full proposal and its documents: learners and other leads are refused', async () => {
    const program = await aPilot();
    await upload(leadBrowser, program.id, 'p.pdf', await aPdf());
    const [document] = await documentsOf(program.id);
    const learner = await (await aLearner(app)).account!.signIn();
    const otherLead = await (await aStaffMember(app, 'program_lead')).signIn();
    const office = await (await aStaffMember(app, 'credentials_office')).signIn();
    const address = `/programs/${program.id}/full-proposal/documents/${document!.id}`;
    for (const [who, browser, status] of [
      ['its lead', leadBrowser, 200],
      ['an approver', approverBrowser, 200],
      ['the credentials office', office, 200],
      ['a learner', learner, 403],
      ['another lead', otherLead, 403],
    ] as const) {
      assert.equal((await browser.get(address)).statusCode, status, `${who} downloads`);
      assert.equal((await page(program.id, browser)).statusCode, status, `${who} opens the page`);
    }
    // Changing it is the lead's alone.
    const byOffice = await office.postForm(`/programs/${program.id}/full-proposal`, {
      pilot_outcome: 'Written by someone else.',
      intent: 'save',
    });
    assert.equal(byOffice.statusCode, 403);
    const byOtherLead = await otherLead.postForm(`${address}/remove`, {});
    assert.equal(byOtherLead.statusCode, 403);
    assert.equal((await documentsOf(program.id)).length, 1);
  });

  test('a complete proposal is submitted, frozen, shown on the decision screen and decided', async () => {
    const program = await aPilot();
    await upload(leadBrowser, program.id, 'proposal.pdf', await aPdf('The full proposal'));
    const submitted = await leadBrowser.postForm(`/programs/${program.id}/full-proposal`, {
      ...fullProposalAnswers(),
      intent: 'submit',
    });
    assert.equal(submitted.statusCode, 303);
    assert.equal(submitted.headers.location, `/programs/${program.id}?done=submit_full_proposal`);
    const [document] = await documentsOf(program.id);

    // Nothing changes once submitted.
    assert.equal(
      (
        await leadBrowser.postForm(
          `/programs/${program.id}/full-proposal/documents/${document!.id}/remove`,
          {},
        )
      ).statusCode,
      422,
    );
    assert.equal((await documentsOf(program.id)).length, 1);

    const decisionScreen = textOf((await approverBrowser.get(`/programs/${program.id}`)).body);
    assert.match(decisionScreen, /Full proposal\s+Submitted by Lena Lead/);
    assert.match(decisionScreen, /Three pilot years went well\./);
    assert.match(decisionScreen, /proposal\.pdf/);
    assert.match(decisionScreen, /Approve review step/);
    const decided = await approverBrowser.postForm(`/programs/${program.id}/actions`, {
      action: 'approve_step',
    });
    assert.equal(decided.statusCode, 303);
    const actions = await auditActions(program.id);
    assert.deepEqual(actions.slice(-2), ['program.submit_full_proposal', 'program.approve_step']);

    // Returned to the pilot, it is the lead's to rework again.
    const returned = await approverBrowser.postForm(`/programs/${program.id}/actions`, {
      action: 'reject',
      comment: 'Show a second cohort first.',
    });
    assert.equal(returned.statusCode, 303);
    const reopened = await page(program.id);
    assert.match(reopened.body, /Submit the full proposal/);
    assert.equal(
      (
        await leadBrowser.postForm(
          `/programs/${program.id}/full-proposal/documents/${document!.id}/remove`,
          {},
        )
      ).statusCode,
      303,
    );
  });
});
