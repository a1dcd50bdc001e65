import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { aCompletion, aLearner, anEnrolment, aProgram, aStaffMember } from '../../test/support/builders.ts';
import { importTableCounts } from '../../test/support/learners.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { importCompletionsFromFile, runImportCommand } from '../cli/import-commands.ts';

describe(`learner records and the import command on ${testBackend}`, () => {
  let app: TestApp;
  let dir: string;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    dir = mkdtempSync(join(tmpdir(), 'stackable-cli-import-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await app.close();
  });

  test('staff find learners by name, e-mail or student ID and open their record', async () => {
    const program = await aProgram(app, { title: 'Harbour Ecology' });
    const found = await aLearner(app, { name: 'Odalys Fairweather', email: 'odalys.f@students.example' });
    const other = await aLearner(app, { name: 'Bertrand Quayle' });
    await anEnrolment(app, found, program);
    await aCompletion(app, found, program.courses[0]!, { grade: 'B+' });
    const registrar = await (await aStaffMember(app, 'registrar')).signIn();
    for (const q of ['odalys', 'ODALYS.F@students', found.studentId]) {
      const list = await registrar.get(`/learners?q=${encodeURIComponent(q)}`);
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Odalys Fairweather/, q);
      assert.doesNotMatch(list.body, new RegExp(other.name), q);
    }
    const record = await registrar.get(`/learners/${found.id}`);
    assert.equal(record.statusCode, 200);
    assert.match(record.body, /<h1>Odalys Fairweather<\/h1>/);
    assert.match(record.body, /<th scope="col">Grade<\/th>/);
    assert.match(record.body, new RegExp(program.courses[0]!));
    assert.match(record.body, /Harbour Ecology/);
    // Where the completion came from, in words: never the import's default code.
    assert.match(record.body, /<td>Student information system<\/td>/);
    assert.doesNotMatch(record.body, /<td>sis<\/td>/);
  });

  test('a program lead sees only learners enrolled in the programs they lead; learners see none', async () => {
    const lead = await aStaffMember(app, 'program_lead');
    const led = await aProgram(app, { lead });
    const notLed = await aProgram(app);
    const inside = await aLearner(app);
    const outside = await aLearner(app);
    await anEnrolment(app, inside, led);
    await anEnrolment(app, outside, notLed);
    const browser = await lead.signIn();
    const list = await browser.get('/learners');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(inside.name));
    assert.doesNotMatch(list.body, new RegExp(outside.name));
    assert.equal((await browser.get(`/learners/${inside.id}`)).statusCode, 200);
    assert.equal((await browser.get(`/learners/${outside.id}`)).statusCode, 403);

    const learner = await inside.account!.signIn();
    assert.equal((await learner.get('/learners')).statusCode, 403);
  });

  test('`stackable import completions FILE` imports through the same service and prints the outcome', async () => {
    const program = await aProgram(app);
    const [first, second] = program.courses as [string, string];
    const learner = await aLearner(app);
    await aCompletion(app, learner, first, { term: '2025 Fall', grade: 'B' });
    const file = join(dir, 'fall-grades.csv');
    writeFileSync(
      file,
      '\uFEFFstudent_id,course_code,term,grade,credits,email\r\n' +
        `${learner.studentId},${first},2025 Fall,B,4,${learner.email}\r\n` +
        `${learner.studentId},${second},2026 Winter,A-,4,someone.else@example.org\r\n`,
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
    assert.equal(imported[0]!.uploadedByLabel, `command line (${userInfo().username})`);

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
    assert.equal(await runImportCommand(['completions'], output), 64);
    assert.match(err[0]!, /^Give one file to import\.\n\nUsage: stackable import completions <FILE>/);
    assert.equal(await runImportCommand(['completions', join(dir, 'missing.csv')], output), 1);
    assert.match(err[1]!, /no such file/);
  });
});
