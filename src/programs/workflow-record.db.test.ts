import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aProgram, aStaffMember } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { newId } from '../platform/ids.ts';
import { insertConsultation, listConsultations, recordResponse } from './consultations.repository.ts';
import { ProgramsRepository } from './programs.repository.ts';
import { readWorkflowRecord } from './workflow-record.repository.ts';

const repository = new ProgramsRepository();

/** The record as the pieces are read one statement at a time. */
async function piecesOf(app: TestApp, programId: string) {
  const db = app.database.db;
  return {
    program: await repository.findProgram(db, programId),
    courses: await repository.courseCodes(db, programId),
    proposal: await repository.findProposal(db, programId),
    signers: await repository.listSigners(db, programId),
    files: await repository.listFiles(db, programId),
    approvals: await repository.listApprovalSteps(db, programId),
    consultations: await listConsultations(db, programId),
  };
}

describe(`a program's workflow record in one statement (${testBackend})`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  test('holds exactly what the pieces read one by one hold, in their order and with their types', async () => {
    const db = app.database.db;
    const lead = await aStaffMember(app, 'program_lead');
    const signers = [await aStaffMember(app, 'signer'), await aStaffMember(app, 'signer')];
    const program = await aProgram(app, { status: 'submitted', lead });
    await repository.saveProposal(
      db,
      program.id,
      {
        rationale: 'Why',
        assessmentPlan: 'How',
        marketAnalysis: 'Who',
        financialModel: 'What it costs',
        marketingPlan: 'Where',
        isInterdisciplinary: true,
        hasThirdParty: false,
      },
      ['marketing_plan'],
    );
    for (const kind of ['syllabus', 'mou'] as const) {
      await repository.saveFile(db, {
        id: newId(),
        programId: program.id,
        kind,
        filename: `${kind}.pdf`,
        contentType: 'application/pdf',
        content: Buffer.from(`%PDF-1.4 ${kind}`),
        sha256: (kind === 'mou' ? 'a' : 'b').repeat(64),
        uploadedBy: lead.id,
      });
    }
    const signerIds = [newId(), newId()];
    for (const [i, signer] of signers.entries()) {
      await repository.insertSigner(db, {
        id: signerIds[i]!,
        programId: program.id,
        userId: signer.id,
        name: signer.name,
        email: signer.email,
        roleLabel: `Signer ${i + 1}`,
      });
    }
    await repository.decideSignature(
      db,
      signerIds[1]!,
      'signed',
      'Fine by me',
      new Date('2026-03-04T05:06:07.891Z'),
    );
    for (const [i, decision] of (['returned', 'approved'] as const).entries()) {
      await repository.insertApprovalStep(db, {
        id: newId(),
        programId: program.id,
        chainKey: 'pilot',
        stepKey: `step-${i}`,
        stepName: `Step ${i}`,
        decision,
        decidedBy: lead.id,
        decidedByName: lead.name,
        comment: i === 0 ? 'Again, please' : null,
        at: new Date(Date.UTC(2026, 2, 10 + i, 9, 30)),
      });
    }
    await repository.clearApprovalSteps(db, program.id, 'pilot', new Date('2026-03-20T00:00:00.000Z'));
    const consulted = [newId(), newId()];
    for (const [i, id] of consulted.entries()) {
      await insertConsultation(db, {
        id,
        programId: program.id,
        userId: i === 0 ? signers[0]!.id : null,
        name: `Consultee ${i}`,
        email: `consultee.${i}@example.edu`,
        topic: 'Fit with the department',
      });
    }
    await recordResponse(db, consulted[0]!, {
      kind: 'concerns',
      text: 'Overlaps a course',
      at: new Date('2026-03-05T10:00:00.123Z'),
      recordedBy: lead,
    });

    const record = await readWorkflowRecord(db, program.id);
    const pieces = await piecesOf(app, program.id);
    assert.deepEqual(record, pieces);
    // What the comparison rests on: every piece is there, timestamps are Dates, and the orders are the queries'.
    assert.equal(record?.files.length, 2);
    assert.deepEqual(
      record?.signers.map((s) => s.role_label),
      ['Signer 1', 'Signer 2'],
    );
    assert.ok(record?.signers[1]?.decided_at instanceof Date);
    assert.ok(record?.approvals.every((step) => step.cleared_at instanceof Date));
    assert.deepEqual(record?.proposal?.missing_fields, ['marketing_plan']);
    // Found by id: PGlite's clock counts milliseconds, so the two may share a creation time and go in id order.
    const answered = record?.consultations.find((consultation) => consultation.id === consulted[0]);
    assert.equal(answered?.responded_at?.toISOString(), '2026-03-05T10:00:00.123Z');
  });

  test('a program with no proposal yet has none, and empty lists', async () => {
    const program = await aProgram(app, { status: 'draft' });
    const record = await readWorkflowRecord(app.database.db, program.id);
    assert.deepEqual(record, await piecesOf(app, program.id));
    assert.equal(record?.proposal, undefined);
    assert.deepEqual(record?.signers, []);
  });

  test('an unknown program has no record', async () => {
    assert.equal(await readWorkflowRecord(app.database.db, newId()), undefined);
  });
});
