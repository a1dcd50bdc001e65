import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { importTableCounts, signedIn } from '../../test/support/learners.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { importCompletionsFromFile, runImportCommand } from '../cli/import-commands.ts';

describe(`learner records and the import command on ${testBackend}`, () => {
  let app: TestApp;
  let dir: string;
  const learnerId = async (studentId: string) =>
    (
      await app.database.db
        .selectFrom('learners')
        .select('id')
        .where('student_id', '=', studentId)
        .executeTakeFirstOrThrow()
    ).id;

  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false });
    dir = mkdtempSync(join(tmpdir(), 'stackable-cli-import-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await app.close();
  });

  test('staff find learners by name, e-mail or student ID and open their record', async () => {
    const registrar = await signedIn(app, 'registrar@cascaderidge.example');
    for (const q of ['jordan', 'LEARNER@cascaderidge', 'C00012345']) {
      const found = await registrar.get(`/learners?q=${encodeURIComponent(q)}`);
      assert.equal(found.statusCode, 200);
      assert.match(found.body, /Jordan Ellis/, q);
      assert.doesNotMatch(found.body, /Amara Chen/, q);
    }
    const record = await registrar.get(`/learners/${await learnerId('C00012345')}`);
    assert.equal(record.statusCode, 200);
    assert.match(record.body, /<h1>Jordan Ellis<\/h1>/);
    assert.match(record.body, /<th scope="col">Grade<\/th>/);
    assert.match(record.body, /MATH 243/);
    assert.match(record.body, /Data Visualization/);
  });

  test('a program lead sees only learners enrolled in the programs they lead; learners see none', async () => {
    const lead = await signedIn(app, 'lead@cascaderidge.example');
    const db = app.database.db;
    const leadId = (
      await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'lead@cascaderidge.example')
        .executeTakeFirstOrThrow()
    ).id;
    const outside = await db
      .selectFrom('learners as l')
      .select(['l.id', 'l.name'])
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('enrolments as e')
              .innerJoin('programs as p', 'p.id', 'e.program_id')
              .select('e.id')
              .whereRef('e.learner_id', '=', 'l.id')
              .where('p.lead_user_id', '=', leadId),
          ),
        ),
      )
      .executeTakeFirstOrThrow();
    const list = await lead.get('/learners');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Jordan Ellis/);
    assert.doesNotMatch(list.body, new RegExp(outside.name));
    assert.equal((await lead.get(`/learners/${await learnerId('C00012345')}`)).statusCode, 200);
    assert.equal((await lead.get(`/learners/${outside.id}`)).statusCode, 403);

    const learner = await signedIn(app, 'learner@cascaderidge.example');
    assert.equal((await learner.get('/learners')).statusCode, 403);
  });

  test('`stackable import completions FILE` imports through the same service and prints the outcome', async () => {
    const file = join(dir, 'fall-grades.csv');
    writeFileSync(
      file,
      '\uFEFFstudent_id,course_code,term,grade,credits,email\r\n' +
        'C00012345,MATH 243,2025 Fall,B,4,learner@cascaderidge.example\r\n' +
        'C00012345,CS 225,2026 Winter,A-,4,someone.else@example.org\r\n',
    );
    const out: string[] = [];
    const err: string[] = [];
    const output = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    const code = await importCompletionsFromFile(app, file, output);
    assert.equal(code, 0, err.join('\n'));
    assert.match(
      out[0]!,
      /^Imported fall-grades\.csv: 2 rows; 0 new, \d corrected, \d unchanged, 1 rejected\.$/,
    );
    assert.match(out.join('\n'), /line 3: email someone\.else@example\.org is not the e-mail on record/);
    assert.match(out.at(-1)!, /^Report: http:\/\/localhost:3999\/learners\/imports\/[0-9a-f-]{36}$/);
    const imported = await app.services.completionImports.listImports(1);
    assert.equal(imported[0]!.channel, 'cli');
    assert.equal(imported[0]!.uploadedByLabel, 'command line (stackable import)');

    const before = await importTableCounts(app);
    const bad = join(dir, 'photo.csv');
    writeFileSync(bad, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    err.length = 0;
    assert.equal(await importCompletionsFromFile(app, bad, output), 1);
    assert.match(err[0]!, /PNG image/);
    assert.deepEqual(await importTableCounts(app), before);
  });

  test('the import command explains its arguments before opening anything', async () => {
    const err: string[] = [];
    const output = { out: () => undefined, err: (l: string) => err.push(l) };
    assert.equal(await runImportCommand(['completions'], output), 2);
    assert.match(err[0]!, /^Usage: stackable import completions <FILE>/);
    assert.equal(await runImportCommand(['completions', join(dir, 'missing.csv')], output), 1);
    assert.match(err[1]!, /no such file/);
  });
});
