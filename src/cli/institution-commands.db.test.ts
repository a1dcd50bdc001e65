import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { runAdminCommand } from './admin-commands.ts';
import { runCredentialCommand, runKeysCommand } from './credential-commands.ts';
import { runImportCommand } from './import-commands.ts';
import { runInsightCommand } from './insight-commands.ts';
import { runInstitutionCommand } from './institution-commands.ts';
import { runListCommand } from './list-commands.ts';
import { runTrustedIssuersCommand } from './trusted-issuer-commands.ts';

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) },
    out: () => out.join('\n'),
    err: () => err.join('\n'),
  };
};

const firstProfile = [
  'set',
  '--name',
  'Tidewater Community College',
  '--short-name',
  'TCC',
  '--url',
  'https://tidewater.example',
  '--email',
  'Badges@Tidewater.example',
  '--time-zone',
  'America/Halifax',
  '--currency',
  'CAD',
  '--fee',
  '35',
  '--academic-year-start-month',
  '8',
  '--primary-colour',
  '#1d4b3a',
  '--accent-colour',
  '#e0a526',
];

describe(`stackable institution on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  test('set on an empty install saves the whole profile through the service, audited as the operator', async () => {
    const run = capture();
    assert.equal(await runInstitutionCommand(app, firstProfile, run.io), 0, run.err());
    const saved = await app.services.institution.get();
    assert.equal(saved.name, 'Tidewater Community College');
    assert.equal(saved.email, 'badges@tidewater.example');
    assert.equal(saved.time_zone, 'America/Halifax');
    assert.equal(saved.currency, 'CAD');
    assert.equal(saved.default_fee_cents, 3500);
    assert.equal(saved.academic_year_start_month, 8);
    assert.equal(await app.services.institution.isSetUp(), true);
    const entry = await app.database.db
      .selectFrom('audit_log')
      .select(['actor_label', 'action'])
      .where('action', '=', 'institution.profile_created')
      .executeTakeFirst();
    assert.match(entry?.actor_label ?? '', /^command line/, 'the save is audited as the operator');
  });

  test('show prints every field of the stored profile', async () => {
    const run = capture();
    assert.equal(await runInstitutionCommand(app, ['show'], run.io), 0);
    assert.match(run.out(), /Legal name\s+Tidewater Community College/);
    assert.match(run.out(), /Time zone\s+America\/Halifax/);
    assert.match(run.out(), /Currency\s+CAD/);
    assert.match(run.out(), /Default badge fee\s+35\.00/);
    assert.match(run.out(), /Logo\s+none/);
  });

  test('set changes only the fields it is given', async () => {
    const run = capture();
    assert.equal(
      await runInstitutionCommand(app, ['set', '--currency', 'eur', '--fee', '12.50'], run.io),
      0,
      run.err(),
    );
    const saved = await app.services.institution.get();
    assert.equal(saved.currency, 'EUR');
    assert.equal(saved.default_fee_cents, 1250);
    assert.equal(saved.name, 'Tidewater Community College');
    assert.equal(saved.time_zone, 'America/Halifax');
  });

  test('refused values exit 64 naming each field and its reason, and nothing is saved', async () => {
    const run = capture();
    const code = await runInstitutionCommand(
      app,
      ['set', '--time-zone', 'Mars/Olympus', '--currency', 'JPY', '--short-name', 'Far Too Long A Name'],
      run.io,
    );
    assert.equal(code, 64);
    assert.match(run.err(), /Time zone \(--time-zone\): must be an IANA time zone/);
    assert.match(run.err(), /Currency \(--currency\): is counted in whole units/);
    assert.match(run.err(), /Short name \(--short-name\): must be at most 12 characters/);
    const kept = await app.services.institution.get();
    assert.equal(kept.time_zone, 'America/Halifax');
    assert.equal(kept.currency, 'EUR');
  });

  test('an unknown option, no option or an unknown action is a usage error', async () => {
    const unknown = capture();
    assert.equal(await runInstitutionCommand(app, ['set', '--colour', 'red'], unknown.io), 64);
    assert.match(unknown.err(), /Usage:/);
    assert.equal(await runInstitutionCommand(app, ['set'], capture().io), 64);
    assert.equal(await runInstitutionCommand(app, ['delete'], capture().io), 64);
  });

  test('every command group answers a call it does not know with 64 and its usage, and help with 0', async () => {
    type Out = ReturnType<typeof capture>['io'];
    // The credential and trusted-issuer commands take files too; none is read or written here.
    const withFiles = (out: Out) => ({
      ...out,
      readInput: async () => new Uint8Array(),
      writeOutput: async () => undefined,
    });
    const groups: [string, (args: string[], out: Out) => Promise<number>][] = [
      ['admin', (args, out) => runAdminCommand(app, args, out)],
      ['institution', (args, out) => runInstitutionCommand(app, args, out)],
      ['credential', (args, out) => runCredentialCommand(app, args, withFiles(out))],
      ['keys', (args, out) => runKeysCommand(app, args, withFiles(out))],
      ['lists', (args, out) => runListCommand(app, args, out)],
      ['insight', (args, out) => runInsightCommand(app, args, out)],
      ['trusted-issuers', (args, out) => runTrustedIssuersCommand(app, args, withFiles(out))],
      ['import', (args, out) => runImportCommand(args, out)],
    ];
    for (const [group, run] of groups) {
      const wrong = capture();
      assert.equal(await run(['frobnicate'], wrong.io), 64, group);
      assert.match(wrong.err(), /^Unknown \S+ command "frobnicate"\.\n\nUsage:/, group);
      const help = capture();
      assert.equal(await run(['help'], help.io), 0, group);
      assert.match(help.out(), /^Usage:/, group);
    }
    const missing = capture();
    assert.equal(await runListCommand(app, ['resume'], missing.io), 64);
    assert.match(missing.err(), /^Give one list id\./);
  });
});
