import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startSmtp } from '../../test/support/backpack.ts';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { anAccount, aStaffMember } from '../../test/support/builders.ts';
import { freePort } from '../../test/support/free-port.ts';
import { readMessage } from '../../test/support/mail.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { openTestDatabase, testBackend, writeCluster } from '../../test/support/test-database.ts';
import { runAdminCommand } from '../cli/admin-commands.ts';
import { createMailer } from '../platform/mail/mailer.ts';
import { LAST_ADMIN_REFUSAL } from './accounts.policy.ts';

const BIN = fileURLToPath(new URL('../../bin/stackable.js', import.meta.url));

/** `bin/stackable.js` as an operator runs it on a fresh production install, with its output collected. */
function stackable(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      STACKABLE_SEED_DEMO: 'false',
      STACKABLE_SECRET: 'first-admin-test-secret-long-enough-for-validation',
      PUBLIC_URL: 'https://badges.example.edu',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number);
  children.add({ child, exited });
  return { child, output: () => output, exit: () => exited };
}

const children = new Set<{ child: ChildProcess; exited: Promise<number> }>();

/**
 * Stops any command a failed test left running before its data folder is removed: a server still writing there
 * made the removal fail (ENOTEMPTY) and hid the assertion that had really failed.
 */
async function stopLeftRunning(): Promise<void> {
  for (const entry of children) {
    if (entry.child.exitCode === null && entry.child.signalCode === null) entry.child.kill('SIGKILL');
    await entry.exited;
  }
  children.clear();
}

/** Captures what a command prints, for the in-process runs. */
const capture = () => {
  const lines: string[] = [];
  return { lines, io: { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) } };
};

describe(`the first administrator from the command line on ${testBackend}`, () => {
  let app: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  before(async () => {
    smtp = await startSmtp();
    app = await startTestApp({
      runJobs: false,
      mailer: createMailer(smtp.url, 'Stackable <no@example.edu>'),
    });
  });
  after(async () => {
    await app.close();
    await smtp.close();
  });

  test('a real server with no administrator says what to do, and the command makes one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stackable-first-admin-'));
    const database = testBackend === 'postgres' ? await openTestDatabase({ start: 'empty' }) : null;
    // A cluster exactly as initdb leaves it, copied rather than made: initdb is most of a PGlite start on disk.
    if (!database) await writeCluster(join(dataDir, 'pglite'), 'empty');
    const env = { STACKABLE_DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url! } : {}) };
    try {
      const port = await freePort();
      const server = stackable(['serve'], { ...env, PORT: String(port), HOST: '127.0.0.1' });
      const deadline = Date.now() + 120_000;
      while (!/setup\?token=/.test(server.output()) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const printed = server.output();
      assert.match(printed, /stackable admin create --email/);
      const setupPath = /https:\/\/badges\.example\.edu(\/setup\?token=[\w-]+)/.exec(printed)?.[1];
      assert.ok(setupPath, printed);
      assert.equal((await fetch(`http://127.0.0.1:${port}${setupPath}`)).status, 200);
      assert.equal((await fetch(`http://127.0.0.1:${port}/setup`)).status, 404);
      server.child.kill('SIGTERM');
      assert.equal(await server.exit(), 0);

      const first = stackable(['admin', 'create', '--email', ' Ops@Example.edu ', '--name', 'Olu Ops'], env);
      assert.equal(await first.exit(), 0, first.output());
      assert.match(first.output(), /A new administrator account was created: ops@example\.edu/);
      // Without DATABASE_URL the command says it works on the embedded database, so nobody mistakes it for theirs.
      const embedded = `Using the embedded database in ${join(dataDir, 'pglite')}`;
      if (database) assert.ok(!first.output().includes('Using the embedded database'), first.output());
      else assert.ok(first.output().includes(embedded), first.output());
      const link = /https:\/\/badges\.example\.edu\/invitation\?token=[\w-]+/.exec(first.output())?.[0];
      assert.ok(link, first.output());
    } finally {
      await stopLeftRunning();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('running the command again makes no second account, and only the newest link works', async () => {
    const run = async () => {
      const { lines, io } = capture();
      assert.equal(await runAdminCommand(app, ['create', '--email', 'twice@example.edu'], io), 0);
      return lines.join('\n');
    };
    const first = await run();
    const second = await run();
    assert.match(first, /A new administrator account was created/);
    assert.match(second, /was already an administrator/);
    assert.equal((await app.services.accounts.listUsers('twice@example.edu')).length, 1);
    const tokens = smtp.received
      .filter((m) => m.to.includes('twice@example.edu'))
      .map((m) => /invitation\?token=([\w-]+)/.exec(readMessage(m.raw).parts.get('text/plain') ?? '')?.[1]);
    assert.equal(tokens.length, 2);
    const guest = new BrowserSession(app);
    assert.equal((await guest.get(`/invitation?token=${tokens[0]}`)).statusCode, 410);
    assert.equal((await guest.get(`/invitation?token=${tokens[1]}`)).statusCode, 200);
  });

  test('a bad address exits 64 naming the field and the reason, and creates nothing', async () => {
    const { lines, io } = capture();
    assert.equal(await runAdminCommand(app, ['create', '--email', 'not-an-address'], io), 64);
    assert.match(lines.join('\n'), /email: must be an e-mail address/);
    assert.equal((await app.services.accounts.listUsers('not-an-address')).length, 0);
    assert.equal(await runAdminCommand(app, ['create'], capture().io), 64);
  });

  test('with SMTP configured the link is mailed, not printed, and it sets the password', async () => {
    const { lines, io } = capture();
    assert.equal(await runAdminCommand(app, ['create', '--email', 'dean.mailed@example.edu'], io), 0);
    const said = lines.join('\n');
    assert.match(said, /e-mailed to that address/);
    assert.doesNotMatch(said, /token=/);
    const raw = smtp.received.find((m) => m.to.includes('dean.mailed@example.edu'))?.raw;
    assert.ok(raw, 'the mail went out while the command ran');
    const text = readMessage(raw).parts.get('text/plain') ?? '';
    assert.match(text, /within 24 hours/);
    const path = /(\/invitation\?token=[\w-]+)/.exec(text)?.[1];
    assert.ok(path);
    const browser = new BrowserSession(app);
    const set = await browser.postForm('/invitation', {
      token: new URL(path, 'http://x').searchParams.get('token')!,
      password: 'the dean chose this',
      confirm: 'the dean chose this',
    });
    assert.equal(set.statusCode, 303);
    await browser.login('dean.mailed@example.edu', 'the dean chose this');
    assert.equal((await browser.get('/admin/users')).statusCode, 200);
  });

  test('an existing account is given the role, keeps its password and gets no link', async () => {
    const registrar = await aStaffMember(app, 'registrar');
    const { lines, io } = capture();
    assert.equal(await runAdminCommand(app, ['create', '--email', registrar.email], io), 0);
    assert.match(lines.join('\n'), /now an administrator[\s\S]*existing password/);
    const user = await app.services.accounts.findUser(registrar.id);
    assert.deepEqual(user?.roles, ['admin', 'registrar']);
    const audit = await app.services.audit.list({
      action: 'account.administrator_created',
      limit: 50,
      offset: 0,
    });
    assert.ok(audit.some((e) => e.entity_id === registrar.id && e.actor_label.startsWith('command line')));
  });

  test('a deactivated account is not quietly brought back', async () => {
    const admin = await aStaffMember(app, 'admin');
    const gone = await anAccount(app, { roles: ['bursar'] });
    await app.services.people.deactivate(admin, gone.id);
    const { lines, io } = capture();
    assert.equal(await runAdminCommand(app, ['create', '--email', gone.email], io), 1);
    assert.match(lines.join('\n'), /deactivated/);
    assert.equal((await app.services.accounts.findUser(gone.id))?.status, 'disabled');
  });
});

describe(`a new installation on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  test('the first administrator is made at /setup, and the last active one is never demoted or deactivated', async () => {
    const token = await app.services.firstAdmin.openSetup();
    assert.ok(token, 'nobody is an administrator yet');
    const browser = new BrowserSession(app);
    const form = await browser.get(`/setup?token=${token}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<label for="password">Password<\/label>/);

    const weak = await browser.postForm('/setup', {
      token,
      name: 'Ama First',
      email: 'ama.first@example.edu',
      password: 'short',
      confirm: 'short',
    });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /<a href="#password">Password must be at least 10 characters/);
    assert.match(weak.body, /value="ama.first@example.edu"/, 'what was typed is kept');

    const made = await browser.postForm('/setup', {
      token,
      name: 'Ama First',
      email: 'ama.first@example.edu',
      password: 'a long first passphrase',
      confirm: 'a long first passphrase',
    });
    assert.equal(made.statusCode, 303);
    assert.equal(made.headers.location, '/admin/users?saved=setup');
    const people = await browser.get('/admin/users?saved=setup');
    assert.equal(people.statusCode, 200, 'signed in as the new administrator');
    assert.match(people.body, /You are the first administrator/);
    const [entry] = await app.services.audit.list({
      action: 'account.first_administrator',
      limit: 5,
      offset: 0,
    });
    assert.match(entry?.actor_label ?? '', /ama\.first@example\.edu/);

    // Two administrators demote each other at the same moment: the second change finds the first already made.
    const ama = (await app.services.accounts.listUsers('ama.first@example.edu'))[0]!;
    const amaActor = { id: ama.id, name: ama.name, email: ama.email, roles: ama.roles };
    const ben = await aStaffMember(app, 'admin', { name: 'Ben Second' });
    await app.services.people.setRoles(amaActor, ben.id, ['signer']);
    await assert.rejects(app.services.people.setRoles(ben, ama.id, ['registrar']), {
      code: 'INVALID_STATE',
      publicMessage: LAST_ADMIN_REFUSAL,
    });
    await assert.rejects(app.services.people.deactivate(ben, ama.id), { code: 'INVALID_STATE' });
    assert.deepEqual((await app.services.accounts.findUser(ama.id))?.roles, ['admin']);
    assert.equal((await app.services.accounts.findUser(ama.id))?.status, 'active');

    // The page says so, and an API caller gets a problem document naming the reason.
    const page = await browser.postForm(`/admin/users/${ama.id}/deactivate`, {});
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /cannot change your own roles or deactivate yourself/);
    const api = await app.http.inject({
      method: 'POST',
      url: `/admin/users/${ama.id}/roles`,
      payload: { roles: ['learner'] },
      headers: { ...(await browser.apiHeaders()), accept: 'application/json' },
    });
    assert.equal(api.statusCode, 403);
    assert.equal(api.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(api.json().code, 'FORBIDDEN');
  });
});
