/**
 * staff_p99_during_list and fair_list_seconds: how staff pages answer while a large tracking list is being
 * issued by the same process (issue 15: a 15,000-row list slowed staff pages to p99 241 ms).
 *
 * `stackable serve` runs as an operator runs it (one process, web and job workers together) on a throw-away
 * PostgreSQL database holding the demo university and a cohort of BENCH_FAIR_ROWS learners (15,000 for the real
 * run; 2,000 by default for a quick one) on an uploaded, uncommitted list. This process signs in over HTTP as the
 * credentials office and keeps BENCH_FAIR_CLIENTS staff clients asking for the office's issuing home (/issuing) and
 * a program's page (/programs/<id>) in turn, each pausing BENCH_FAIR_PAUSE_MS between requests, as people
 * clicking around do:
 *   - idle, for BENCH_FAIR_IDLE_SECONDS: the baseline;
 *   - then the list is committed (an administrator, through the service, as the commit button does) and the same
 *     clients run until the serve process's worker reports it done.
 * Reported: median and p99 of each phase, the list's duration (commit to done, including the worker's pick-up),
 * and the serve process's peak RSS (VmHWM). The target is p99 during the list at most twice the idle p99.
 *
 * account_mail_latency_during_list: the serve process mails through a real SMTP server on loopback, so the list's
 * claim e-mails (one per row) queue up behind it as they do for a university. While the list runs, password resets
 * are asked for one after another (through the accounts service, as the form does, a second apart) and each is
 * timed from the request to the SMTP server receiving it: the reset job, the mail queue and the send included.
 * The issue's target: bulk lists delay account mail by no more than a few seconds.
 * Correctness gate: every row issued, one claim e-mail per row, every reset received.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { DEMO_PASSWORD } from '../src/demo/demo-data.ts';
import { ISSUE_BATCH_SIZE } from '../src/issuing/tracking-list-issuer.ts';
import { startSmtp } from '../test/support/backpack.ts';
import { prepareCohort } from '../test/support/cohort-fixture.ts';
import { type BenchApp, benchPostgresUrl, startBenchApp } from './support/bench-app.ts';
import { type BenchDefinition, median, metric, type Percentiles, percentiles } from './support/harness.ts';
import { type ServeProcess, startServe, stopServe } from './support/serve-process.ts';

const ROWS = Number(process.env.BENCH_FAIR_ROWS ?? 2000);
const CLIENTS = Number(process.env.BENCH_FAIR_CLIENTS ?? 4);
const PAUSE_MS = Number(process.env.BENCH_FAIR_PAUSE_MS ?? 100);
const IDLE_SECONDS = Number(process.env.BENCH_FAIR_IDLE_SECONDS ?? 15);

/** The settings the data is prepared with and served with: keys are sealed with the secret. */
const SETTINGS = {
  NODE_ENV: 'production',
  STACKABLE_SECRET: 'bench-secret-that-is-long-enough-for-validation',
  PUBLIC_URL: 'http://localhost:3999',
  LOG_LEVEL: 'warn',
  STACKABLE_SEED_DEMO: 'false',
};

type Latencies = Percentiles & { median: number; max: number };

interface Phase {
  requests: number;
  errors: number;
  latencyMs: Latencies;
  /** The same, page by page. */
  pages: Record<string, Latencies>;
}

export default {
  name: 'fair-issuing',
  description: `staff pages while one serve process issues a ${ROWS}-row tracking list, on PostgreSQL`,
  async run(log) {
    log(`preparing the demo university and a ${ROWS}-learner cohort on ${benchPostgresUrl}…`);
    const app = await startBenchApp('postgres', { env: SETTINGS });
    const smtp = await startSmtp();
    let server: ServeProcess | undefined;
    try {
      const cohort = await prepareCohort(app, ROWS, 'fair');
      const lists = app.services.trackingLists;
      const listId = await lists.uploadList(cohort.office, Buffer.from(cohort.csv), 'fair.csv');
      // The cohort was just written in bulk: let the database settle (statistics, dirty pages on disk), as a
      // university's database has long settled when a list is committed, so neither phase pays for the set-up.
      await sql`vacuum analyze`.execute(app.database.db);
      await sql`checkpoint`.execute(app.database.db);
      const program = await app.database.db
        .selectFrom('programs')
        .select('id')
        .where('slug', '=', 'project-management')
        .executeTakeFirstOrThrow();

      // BENCH_FAIR_NODE_ARGS: flags for the serve process's Node, such as `--cpu-prof` to see where its time goes.
      const nodeArgs = (process.env.BENCH_FAIR_NODE_ARGS ?? '').split(' ').filter(Boolean);
      server = await startServe(
        {
          ...SETTINGS,
          DATABASE_URL: app.config.database.kind === 'postgres' ? app.config.database.url : '',
          SMTP_URL: smtp.url,
          STACKABLE_PROCESSES: '1',
        },
        nodeArgs,
      );
      const base = `http://127.0.0.1:${server.port}`;
      const cookie = await signIn(base, 'credentials@cascaderidge.example');
      const pages = ['/issuing', `/programs/${program.id}`];
      log(`serving on port ${server.port}; ${CLIENTS} staff clients, ${PAUSE_MS} ms between requests`);

      // Warm the pages (templates, caches, JIT) before anything is timed.
      await load(base, cookie, pages, async () => sleep(3000));
      const idleFrom = await databaseActivity(app);
      const idle = await load(base, cookie, pages, () => sleep(IDLE_SECONDS * 1000));
      const idleActivity = activitySince(idleFrom, await databaseActivity(app));
      log(`idle: ${describe(idle)}`);

      const listFrom = await databaseActivity(app);
      const cpuFrom = cpuSeconds(server.child);
      const began = performance.now();
      await lists.commitList(cohort.committer, listId);
      const resets = resetsUntil(app, smtp, await accountAddresses(app));
      const during = await load(base, cookie, pages, () => untilDone(app, listId));
      const listSeconds = round((performance.now() - began) / 1000);
      const listCpuSeconds = round(cpuSeconds(server.child) - cpuFrom);
      const resetLatencies = await resets.stop();
      const listActivity = activitySince(listFrom, await databaseActivity(app));
      await untilClaimsReceived(smtp);
      const mailSeconds = round((performance.now() - began) / 1000);
      const mailCpuSeconds = round(cpuSeconds(server.child) - cpuFrom);
      const drainedActivity = activitySince(listFrom, await databaseActivity(app));
      const commits = commitsPerRow(idle, idleActivity, during, listActivity, drainedActivity);
      log(
        `commits: ${commits.duringList} from commit to done (${commits.perRowDuringList} a row, less the pages' ` +
          `and this bench's polls), ${commits.untilMailSent} until every claim mail was received at ${mailSeconds} s; ` +
          `after done, ${commits.afterDone.commits} commits while ${commits.afterDone.messages} claim mails left ` +
          `(${commits.afterDone.perMessage} a message, the app's own polling included)`,
      );
      const reset = { ...percentiles(resetLatencies), max: round(Math.max(...resetLatencies)) };
      log(`password resets during the list: ${resetLatencies.length}, ${JSON.stringify(reset)} ms`);
      const peakRssMb = peakRss(server.child);
      log(`during the list: ${describe(during)}`);
      log(
        `list: ${listSeconds} s (${Math.round(ROWS / listSeconds)} rows/s); serve peak RSS ${peakRssMb} MB; ` +
          `serve CPU ${listCpuSeconds} s to done, ${mailCpuSeconds} s until the mail was sent`,
      );
      const checks = await checkIssued(app, listId);

      const ratio = round(during.latencyMs.p99 / idle.latencyMs.p99);
      return {
        metrics: {
          staff_p99_during_list: metric({
            unit: 'ms',
            ours: during.latencyMs.p99,
            baseline: idle.latencyMs.p99,
            better: 'lower',
            description:
              `p99 of staff pages (/issuing and a program page, ${CLIENTS} clients pausing ${PAUSE_MS} ms) while ` +
              `the same serve process issues a ${ROWS}-row list on PostgreSQL (median ${during.latencyMs.median} ms). ` +
              `Baseline: the same clients with the process idle (p99 ${idle.latencyMs.p99} ms, median ` +
              `${idle.latencyMs.median} ms). Target: at most twice the idle p99 (now ×${ratio}).`,
            latencyMs: { ours: during.latencyMs, baseline: idle.latencyMs },
          }),
          fair_list_seconds: metric({
            unit: 's',
            ours: listSeconds,
            better: 'lower',
            description:
              `${ROWS}-row tracking list, commit to done, while the staff clients run, by one serve process on ` +
              `PostgreSQL (chunks of ${ISSUE_BATCH_SIZE}); peak RSS of the process ${peakRssMb} MB.`,
          }),
          account_mail_latency_during_list: metric({
            unit: 'ms',
            ours: reset.p90,
            better: 'lower',
            description:
              `p90 time from asking for a password reset to the loopback SMTP server receiving it, for ` +
              `${resetLatencies.length} resets asked for one after another while the serve process issued the ` +
              `${ROWS}-row list and mailed its ${ROWS} claim e-mails (median ${reset.p50} ms, max ${reset.max} ms).`,
            latencyMs: { ours: reset },
          }),
        },
        details: {
          rows: ROWS,
          clients: CLIENTS,
          pauseMs: PAUSE_MS,
          idleSeconds: IDLE_SECONDS,
          chunk: ISSUE_BATCH_SIZE,
          idle,
          during,
          p99Ratio: ratio,
          listSeconds,
          mailSeconds,
          listCpuSeconds,
          mailCpuSeconds,
          peakRssMb,
          commits,
          databaseActivity: { idle: idleActivity, list: listActivity, untilMailSent: drainedActivity },
          checks,
          resetLatenciesMs: resetLatencies,
        },
      };
    } finally {
      if (server) await stopServe(server.child);
      await app.close();
      await smtp.close();
    }
  },
} satisfies BenchDefinition;

/**
 * The staff clients' loop, run in a thread of its own: this process also holds the SMTP server that receives
 * the list's claim e-mails (hundreds a second), and a request timed on that event loop would count the wait for
 * it. Plain JavaScript, so the thread needs no TypeScript loader.
 */
const CLIENTS_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { base, cookie, pages, clients, pauseMs } = workerData;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const latencies = pages.map(() => []);
let errors = 0;
let running = true;
parentPort.on('message', () => { running = false; });
const client = async (offset) => {
  for (let n = offset; running; n += 1) {
    const page = n % pages.length;
    const started = performance.now();
    const response = await fetch(base + pages[page], { headers: { cookie } }).catch(() => undefined);
    if (response) await response.arrayBuffer();
    latencies[page].push(performance.now() - started);
    if (!response || response.status !== 200) errors += 1;
    await sleep(pauseMs);
  }
};
Promise.all(Array.from({ length: clients }, (_, n) => client(n))).then(() =>
  parentPort.postMessage({ latencies, errors }),
);
`;

/** Runs the staff clients (in their own thread) until `until` settles; each request's latency is kept. */
async function load(
  base: string,
  cookie: string,
  pages: readonly string[],
  until: () => Promise<unknown>,
): Promise<Phase> {
  const thread = new Worker(CLIENTS_THREAD, {
    eval: true,
    workerData: { base, cookie, pages, clients: CLIENTS, pauseMs: PAUSE_MS },
  });
  const finished = new Promise<{ latencies: number[][]; errors: number }>((resolve, reject) => {
    thread.once('message', resolve);
    thread.once('error', reject);
  });
  try {
    await until();
  } finally {
    thread.postMessage('stop');
  }
  const { latencies: byPage, errors } = await finished;
  await thread.terminate();
  const summary = (latencies: readonly number[]) => ({
    ...percentiles(latencies),
    median: round3(median(latencies)),
    max: round3(Math.max(...latencies)),
  });
  const latencies = byPage.flat();
  return {
    requests: latencies.length,
    errors,
    latencyMs: summary(latencies),
    pages: Object.fromEntries(pages.map((page, index) => [pageName(page), summary(byPage[index]!)])),
  };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
/** A page's name in the report: the program page without its id. */
const pageName = (path: string) => path.replace(/\/programs\/.+$/, '/programs/:id');

/** Signs in through the sign-in form, as a browser does; returns the session's cookie header. */
async function signIn(base: string, email: string): Promise<string> {
  const form = await fetch(`${base}/login`);
  const cookies = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  keep(form);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!token) throw new Error('the sign-in page has no CSRF token');
  const header = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() },
    body: new URLSearchParams({ _csrf: token, email, password: DEMO_PASSWORD }).toString(),
  });
  if (response.status !== 303) throw new Error(`signing in as ${email} answered ${response.status}`);
  keep(response);
  return header();
}

/** How many times untilDone asked for the list's status: each is a commit of this bench's own. */
let statusPolls = 0;

async function untilDone(app: BenchApp, listId: string): Promise<void> {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    statusPolls += 1;
    const { status } = await app.database.db
      .selectFrom('tracking_lists')
      .select('status')
      .where('id', '=', listId)
      .executeTakeFirstOrThrow();
    if (status === 'done') return;
    if (status === 'failed') throw new Error('the list failed');
    if (Date.now() > deadline) throw new Error('the list did not finish within 15 minutes');
    await sleep(100);
  }
}

/** Every row issued, with one claim e-mail each, or an error that fails the bench. */
async function checkIssued(app: BenchApp, listId: string) {
  const { rows } = await sql<{ issued: number; mails: number }>`
    select count(*) filter (where r.status = 'issued')::int as issued,
      (select count(*)::int from mail_outbox m where m.kind = 'badge_claim' and m.to_address like 'cohort.fair.%') as mails
    from tracking_list_rows r where r.list_id = ${listId}
  `.execute(app.database.db);
  const counts = rows[0]!;
  if (counts.issued !== ROWS || counts.mails !== ROWS) {
    throw new Error(`the list did not produce one of everything per row: ${JSON.stringify(counts)}`);
  }
  return counts;
}

/** Waits until the SMTP server has every claim e-mail of the list (the mail may still be leaving when it is done). */
async function untilClaimsReceived(smtp: Smtp): Promise<void> {
  const deadline = Date.now() + 15 * 60_000;
  while (
    smtp.received.filter((message) => message.to.some((to) => to.startsWith('cohort.fair.'))).length < ROWS
  ) {
    if (Date.now() > deadline) throw new Error('the claim e-mails did not all arrive within 15 minutes');
    await sleep(100);
  }
}

/** The bench database's committed transactions, and the rows written per table, as PostgreSQL counts them. */
interface Activity {
  commits: number;
  tables: Record<string, { inserted: number; updated: number; deleted: number }>;
}

/**
 * Reads the database's counters. A backend reports them when its transaction ends, at most once a second, so
 * this waits that out first; a fresh connection's statistics snapshot, so nothing is cached from before.
 */
async function databaseActivity(app: BenchApp): Promise<Activity> {
  await sleep(1500);
  const [database] = (
    await sql<{ commits: string }>`
      select xact_commit::text as commits from pg_stat_database where datname = current_database()
    `.execute(app.database.db)
  ).rows;
  const { rows } = await sql<{ name: string; inserted: string; updated: string; deleted: string }>`
    select schemaname || '.' || relname as name, n_tup_ins::text as inserted, n_tup_upd::text as updated,
      n_tup_del::text as deleted
    from pg_stat_user_tables
  `.execute(app.database.db);
  return {
    commits: Number(database!.commits),
    tables: Object.fromEntries(
      rows.map((row) => [
        row.name.replace(/^public\./, ''),
        { inserted: Number(row.inserted), updated: Number(row.updated), deleted: Number(row.deleted) },
      ]),
    ),
  };
}

/** What happened between two readings; tables nothing was written to are left out. */
function activitySince(from: Activity, to: Activity): Activity {
  const tables: Activity['tables'] = {};
  for (const [name, now] of Object.entries(to.tables)) {
    const was = from.tables[name] ?? { inserted: 0, updated: 0, deleted: 0 };
    const delta = {
      inserted: now.inserted - was.inserted,
      updated: now.updated - was.updated,
      deleted: now.deleted - was.deleted,
    };
    if (delta.inserted + delta.updated + delta.deleted > 0) tables[name] = delta;
  }
  return { commits: to.commits - from.commits, tables };
}

/**
 * Commits per list row. Every statement outside a transaction commits, so the staff pages' own queries (read-only,
 * so no flush to disk, but counted) and this bench's polls count too: the idle phase says how many a page request
 * costs, and the list's figure is given less the pages' estimated share and the polls. After the list is done only
 * the claim mails still being sent and the app's own polling commit: the cleanest figure for the mail.
 */
function commitsPerRow(
  idle: Phase,
  idleActivity: Activity,
  during: Phase,
  list: Activity,
  drained: Activity,
) {
  const perRequest = idleActivity.commits / Math.max(idle.requests, 1);
  const pagesDuringList = Math.round(perRequest * during.requests);
  const sentBy = (activity: Activity) => (activity.tables.mail_outbox?.updated ?? 0) / 2;
  const tailCommits = drained.commits - list.commits;
  const tailMessages = Math.round(sentBy(drained) - sentBy(list));
  return {
    perPageRequest: round(perRequest),
    duringList: list.commits,
    pagesDuringList,
    benchPollsDuringList: statusPolls,
    perRowDuringList: round((list.commits - pagesDuringList - statusPolls) / ROWS),
    untilMailSent: drained.commits,
    afterDone: {
      commits: tailCommits,
      messages: tailMessages,
      perMessage: round(tailCommits / Math.max(tailMessages, 1)),
    },
  };
}

/** The serve process's CPU time so far (all its threads, user and system), from the kernel's accounting. */
function cpuSeconds(child: ChildProcess): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are the stat file's 14th and 15th fields, counted here from the 3rd, in clock ticks.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The serve process's peak resident memory, from the kernel's high-water mark. */
function peakRss(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

type Smtp = Awaited<ReturnType<typeof startSmtp>>;

/** A few active accounts' addresses, to ask resets for (the per-address limits stay far away at one a second). */
async function accountAddresses(app: BenchApp): Promise<string[]> {
  const rows = await app.database.db
    .selectFrom('users')
    .select('email')
    .where('status', '=', 'active')
    .orderBy('email')
    .limit(5)
    .execute();
  if (rows.length === 0) throw new Error('no active account to ask a password reset for');
  return rows.map((row) => row.email);
}

/**
 * Asks for password resets one after another, a second apart, until stopped; each is timed until the SMTP server
 * has one more message to that address than before it was asked for. `stop` waits for the one under way.
 */
function resetsUntil(app: BenchApp, smtp: Smtp, addresses: readonly string[]) {
  const latencies: number[] = [];
  let running = true;
  const receivedBy = (address: string) =>
    smtp.received.filter((message) => message.to.includes(address)).length;
  const loop = (async () => {
    for (let n = 0; running; n += 1) {
      const address = addresses[n % addresses.length]!;
      const before = receivedBy(address);
      const asked = performance.now();
      await app.services.accounts.requestPasswordReset(address, null);
      const deadline = Date.now() + 10 * 60_000;
      while (receivedBy(address) === before) {
        if (Date.now() > deadline) throw new Error(`the reset for ${address} did not arrive in 10 minutes`);
        await sleep(20);
      }
      latencies.push(performance.now() - asked);
      await sleep(1000);
    }
  })();
  return {
    async stop(): Promise<number[]> {
      running = false;
      await loop;
      if (latencies.length === 0) throw new Error('no password reset was timed during the list');
      return latencies;
    },
  };
}

function describe(phase: Phase): string {
  const { median: p50, p99, max } = phase.latencyMs;
  const byPage = Object.entries(phase.pages)
    .map(([page, latency]) => `${page} median ${latency.median} ms, p99 ${latency.p99} ms`)
    .join('; ');
  return `${phase.requests} requests, ${phase.errors} errors, median ${p50} ms, p99 ${p99} ms, max ${max} ms (${byPage})`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number) => Math.round(value * 100) / 100;
