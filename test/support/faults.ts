/**
 * For fault tests on PostgreSQL: a committed tracking list of a cohort built with the builders, `stackable serve`
 * run as an operator runs it (a child process with its job workers), and what the list left behind.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { aCohort, anInstitution, aProgram, aStaffMember } from './builders.ts';
import { freePort } from './free-port.ts';
import { commitThroughConfirmation, listIdFrom, uploadList } from './issuing.ts';
import type { TestApp } from './test-app.ts';
import { openTestDatabase } from './test-database.ts';
import { testAppEnv } from './test-snapshots.ts';

const BIN = fileURLToPath(new URL('../../bin/stackable.js', import.meta.url));

/** The test's own view of the database (straight to the server, never through a proxy), and what it built. */
export interface FaultBench {
  app: TestApp;
  /** The database's address on the server, for a proxy to stand in front of. */
  url: URL;
  dataDir: string;
  close(): Promise<void>;
}

/** An app without workers on a fresh migrated database, to build data and read what the workers did. */
export async function openFaultBench(): Promise<FaultBench> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stackable-fault-'));
  const { database, url, drop } = await openTestDatabase({ start: 'migrated' });
  const app = await createApp(loadConfig(testAppEnv(dataDir)), { database, runJobs: false });
  return {
    app: app as TestApp,
    url: new URL(url!),
    dataDir,
    async close() {
      await app.close().catch(() => undefined);
      await drop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `size` learners who met one program's requirements, on a tracking list uploaded by an administrator and committed
 * by the registrar: the list waits for a worker. Returns its id.
 */
export async function aCommittedList(app: TestApp, size: number): Promise<string> {
  await anInstitution(app);
  await app.services.credentials.identity.activeKey();
  const program = await aProgram(app);
  const cohort = await aCohort(app, program, size);
  const rows = cohort.map(
    (learner, i) =>
      `${learner.studentId},${learner.email},Cohort,Member${i},${program.slug},2026-10-20,2026 Fall,,Fall 2026`,
  );
  const header = 'student_id,email,first_name,last_name,program,completion_date,term,credit_mode,cohort';
  const admin = await (await aStaffMember(app, 'admin')).signIn();
  const registrar = await (await aStaffMember(app, 'registrar')).signIn();
  const listId = listIdFrom(await uploadList(app, admin, 'cohort.csv', [header, ...rows].join('\n')));
  const committed = await commitThroughConfirmation(registrar, listId);
  assert.equal(committed.statusCode, 303, committed.body.slice(0, 300));
  return listId;
}

/** `stackable serve` with its workers, on the database at `databaseUrl` (and settings in `env`), its output kept. */
export async function startServe(bench: FaultBench, databaseUrl: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      ...testAppEnv(bench.dataDir),
      DATABASE_URL: databaseUrl,
      STACKABLE_SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return {
    child,
    port,
    output: () => output,
    /**
     * SIGTERM, and the exit (at once when it already ended). A process that has not ended 15 s later is killed,
     * so a shutdown that hangs fails its test (the caller sees it in `output`) instead of holding the run.
     */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const killer = setTimeout(() => {
        output += '\n[test] the process did not end 15 s after SIGTERM: killed\n';
        child.kill('SIGKILL');
      }, 15_000);
      await exited;
      clearTimeout(killer);
    },
    /** Log lines (pino's JSON) whose message is `message`. */
    logged: (message: string) =>
      output.split('\n').filter((line) => line.startsWith('{') && JSON.parse(line).msg === message),
  };
}

/** Polls `read` every 100 ms until `isDone` holds of its value; gives up after `ms`. */
export async function waitUntil<T>(
  what: string,
  read: () => Promise<T>,
  isDone: (value: T) => boolean,
  ms: number,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (isDone(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A list's status and how many of its rows are issued. */
export async function listProgress(app: TestApp, listId: string) {
  const list = await app.database.db
    .selectFrom('tracking_lists')
    .select('status')
    .where('id', '=', listId)
    .executeTakeFirstOrThrow();
  const { rows } = await sql<{ issued: number; ready: number }>`
    select count(*) filter (where status = 'issued')::int as issued,
      count(*) filter (where status = 'ready')::int as ready
    from tracking_list_rows where list_id = ${listId}
  `.execute(app.database.db);
  return { status: list.status, issued: rows[0]!.issued, ready: rows[0]!.ready };
}

/**
 * Asserts every row of the list was issued, and that each of its learners has exactly one award, credential,
 * fee charge and claim mail: nothing lost, nothing twice.
 */
export async function assertIssuedExactlyOnce(app: TestApp, listId: string, size: number): Promise<void> {
  const { rows } = await sql<{
    row_status: string;
    awards: number;
    credentials: number;
    fees: number;
    mails: number;
  }>`
    select r.status as row_status,
      (select count(*)::int from issued_awards a
        where a.learner_id = r.learner_id and a.program_id = r.program_id) as awards,
      (select count(*)::int from credentials c
        where c.learner_id = r.learner_id and c.program_id = r.program_id) as credentials,
      (select count(*)::int from fee_charges f
        where f.learner_id = r.learner_id and f.program_id = r.program_id) as fees,
      (select count(*)::int from mail_outbox m join learners l on lower(l.email) = lower(m.to_address)
        where l.id = r.learner_id and m.kind = 'badge_claim') as mails
    from tracking_list_rows r where r.list_id = ${listId}
  `.execute(app.database.db);
  assert.equal(rows.length, size);
  const wrong = rows.filter(
    (r) =>
      r.row_status !== 'issued' || r.awards !== 1 || r.credentials !== 1 || r.fees !== 1 || r.mails !== 1,
  );
  assert.deepEqual(
    wrong,
    [],
    'every row issued, each learner with one award, credential, fee and claim mail',
  );
}
