// How a committed tracking list is issued in chunks: set-wise writes and pipelined signing, with the same
// outcomes row by row as issuing each row on its own (refusals, duplicates, crashes and resumes).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { prepareCohort } from '../../test/support/cohort-fixture.ts';
import { assertGrewBy, counts, listStatus } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { newId } from '../platform/ids.ts';

interface IdentityObject {
  identityHash: string;
  salt: string;
}

/** An e-mail address hashed as Open Badges 3.0 names a recipient: sha256 of the address and the salt. */
const hashedEmail = (email: string, salt: string) =>
  `sha256$${createHash('sha256')
    .update(email + salt)
    .digest('hex')}`;

describe(`tracking lists issued in chunks on ${testBackend}`, () => {
  let app: TestApp;
  let cohorts = 0;

  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });
  });
  after(() => app.close());

  /** Uploads and commits a new cohort's list of `rows` learners; returns the list id and the office. */
  const committedList = async (rows: number) => {
    const cohort = await prepareCohort(app, rows, `t${cohorts++}`);
    const lists = app.services.trackingLists;
    const listId = await lists.uploadList(cohort.office, Buffer.from(cohort.csv), 'cohort.csv');
    await lists.commitList(cohort.committer, listId);
    return { listId, office: cohort.office };
  };

  const rowsOf = (listId: string) =>
    app.database.db
      .selectFrom('tracking_list_rows')
      .selectAll()
      .where('list_id', '=', listId)
      .orderBy('line')
      .execute();

  /** Entries given out across all status lists, which must match the credentials holding them. */
  const allocated = async () => {
    const { rows } = await sql<{
      n: number;
    }>`select coalesce(sum(allocated), 0)::int as n from status_lists`.execute(app.database.db);
    return Number(rows[0]!.n);
  };

  const auditCount = async (action: string) => {
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from audit_log where action = ${action}`.execute(app.database.db);
    return Number(rows[0]!.n);
  };

  test('a large list is issued whole: one credential, fee, claim mail and audit trail per row, all verifying', async () => {
    const before = await counts(app);
    const auditBefore = await auditCount('badge.issued');
    // 70 rows in chunks of 64: the first chunk, just enough for the signing threads (64 credentials), is signed on a
    // worker thread in parts of 50 and 14, the second (6) here. More rows would take the same two paths again.
    const { listId } = await committedList(70);
    await app.services.trackingLists.processList(listId, { batchSize: 64 });

    const rows = await rowsOf(listId);
    assert.equal(rows.filter((r) => r.status === 'issued').length, 70);
    assert.equal(new Set(rows.map((r) => r.credential_id)).size, 70);
    const end = await counts(app);
    assertGrewBy(before, end, 70, ['credentials', 'fee_charges', 'issued_awards', 'mail_outbox']);
    assert.equal((await auditCount('badge.issued')) - auditBefore, 70);
    assert.equal(await allocated(), end.credentials, 'one status entry per credential, none lost');
    const { rows: jobs } = await sql<{ n: number }>`
      select count(*)::int as n from pgboss.job j
      join mail_outbox m on m.id::text = j.data->>'outboxId'
      join backpack_items b on b.learner_email = m.to_address
      join tracking_list_rows r on r.credential_id = b.credential_id
      where j.name = 'mail-send' and r.list_id = ${listId}
    `.execute(app.database.db);
    assert.equal(Number(jobs[0]!.n), 70, 'a delivery job for every claim mail');

    // Every fifth credential through the full verifier, both formats, and its row as the learner's.
    const stored = await app.database.db
      .selectFrom('credentials as c')
      .innerJoin('tracking_list_rows as r', 'r.credential_id', 'c.id')
      .innerJoin('learners as l', 'l.id', 'r.learner_id')
      .select([
        'c.id',
        'c.json',
        'c.jwt',
        'c.learner_id',
        'c.valid_from',
        'r.learner_id as row_learner',
        'l.email',
      ])
      .where('r.list_id', '=', listId)
      .orderBy('r.line')
      .execute();
    for (const [index, credential] of stored.entries()) {
      assert.equal(credential.learner_id, credential.row_learner);
      // Each row holds its own signed credential, in both formats: signed in parts on other threads, a part's
      // results put back in the wrong rows would still verify, but name another badge and another learner.
      const json = credential.json as { id: string; credentialSubject: { identifier: IdentityObject[] } };
      assert.equal(json.id, `urn:uuid:${credential.id}`);
      const [identity] = json.credentialSubject.identifier;
      assert.equal(identity!.identityHash, hashedEmail(credential.email, identity!.salt));
      const payload = JSON.parse(Buffer.from(credential.jwt!.split('.')[1]!, 'base64url').toString('utf8'));
      assert.equal(payload.id, json.id);
      // Dated the day the list was issued, not back-dated to the completion day the rows give.
      assert.equal(credential.valid_from.toISOString(), '2026-11-25T15:00:00.000Z');
      if (index % 5 !== 0) continue;
      const verdict = await app.services.verification.verifyObject(credential.json);
      assert.equal(verdict.verified, true, JSON.stringify(verdict.checks));
      const jwt = await app.services.verification.verifyText(credential.jwt!);
      assert.equal(jwt.verified, true, JSON.stringify(jwt.checks));
    }
  });

  test('a row refused in the middle of a chunk fails alone; the rest of its chunk is issued', async () => {
    const before = await counts(app);
    const { listId } = await committedList(12);
    const sixth = (await rowsOf(listId))[5]!;
    // The learner's address on record became unusable after the upload: issuing refuses that row only.
    await app.database.db
      .updateTable('learners')
      .set({ email: `not-an-address-${sixth.learner_id}` })
      .where('id', '=', sixth.learner_id!)
      .execute();
    await app.services.trackingLists.processList(listId);

    const rows = await rowsOf(listId);
    assert.deepEqual(
      rows.filter((r) => r.status !== 'issued').map((r) => [r.line, r.status]),
      [[sixth.line, 'failed']],
    );
    assert.match(rows[5]!.reason ?? '', /could not be issued/);
    const end = await counts(app);
    assertGrewBy(before, end, 11, ['credentials', 'fee_charges', 'mail_outbox']);
    assert.equal(await allocated(), end.credentials, "the undone chunk's status entries were given back");
    assert.equal(await listStatus(app, listId), 'done');
  });

  test('a learner given the badge meanwhile is skipped; the rest of the chunk is issued', async () => {
    const { listId } = await committedList(8);
    const rows = await rowsOf(listId);
    // The same learner and program on a second row of the list (as if two offices' lists overlapped):
    // nothing is issued for it yet, so only the database's one-award rule can catch it, mid-chunk.
    const twin = rows[2]!;
    await app.database.db
      .insertInto('tracking_list_rows')
      .values({
        id: newId(),
        list_id: listId,
        line: 100,
        learner_id: twin.learner_id,
        program_id: twin.program_id,
        completion_date: twin.completion_date,
        status: 'ready',
      })
      .execute();
    const before = await counts(app);
    await app.services.trackingLists.processList(listId);

    const after = await rowsOf(listId);
    assert.equal(after.filter((r) => r.status === 'issued').length, 8);
    assert.deepEqual(
      after.filter((r) => r.status === 'skipped').map((r) => r.line),
      [100],
    );
    const end = await counts(app);
    assert.equal(end.credentials - before.credentials, 8);
    assert.equal(end.fee_charges - before.fee_charges, 8);
    assert.equal(await allocated(), end.credentials);
  });

  test('a crash while a chunk is half stored rolls the whole chunk back; the re-run issues each row once', async () => {
    // One chunk of 70, signed on a worker thread in parts of 50 and 20.
    const { listId } = await committedList(70);
    const before = await counts(app);
    const allocatedBefore = await allocated();
    let charged = 0;
    // In the second part of the first chunk: the first part's credentials, fees and mail are written by then.
    app.services.issuing.faults.afterCharge = () => {
      charged += 1;
      if (charged === 60) throw new Error('simulated crash half-way through a chunk');
    };
    try {
      await assert.rejects(
        app.services.trackingLists.processList(listId),
        /simulated crash half-way through a chunk/,
      );
    } finally {
      app.services.issuing.faults.afterCharge = undefined;
    }
    assert.deepEqual(await counts(app), before, 'nothing of the chunk is left');
    assert.equal(await allocated(), allocatedBefore);
    assert.equal((await rowsOf(listId)).filter((r) => r.status === 'ready').length, 70);

    await app.services.trackingLists.processList(listId);
    const rows = await rowsOf(listId);
    assert.equal(rows.filter((r) => r.status === 'issued').length, 70);
    const end = await counts(app);
    assertGrewBy(before, end, 70, ['credentials', 'fee_charges', 'issued_awards', 'mail_outbox']);
  });
});
