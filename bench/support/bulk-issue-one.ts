/**
 * One measurement of bench/bulk-issue.bench.ts, in a process of its own so that its peak memory is its own: the
 * app on one backend, a warm-up list, then one list of BULK_ONE_ROWS rows issued from commit to done. Prints
 * one JSON line (an IssueRun) on stdout. BULK_ONE_BASELINE=1 issues it the old way instead: row by row, ten
 * rows per transaction, with the reference signer.
 *
 * Memory is the kernel's own peak (VmHWM), reset just before the commit (`/proc/self/clear_refs`), so it
 * counts everything the process holds while issuing: the heap, the signing threads' heaps, buffers, and on
 * PGlite the database itself. The upload's peak is measured the same way, separately.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'kysely';
import { CredentialSigner } from '../../src/credentials/credential-signer.ts';
import { PGLITE_UPKEEP_SECONDS, pgliteUpkeep } from '../../src/platform/db/planner-statistics.ts';
import { prepareCohort } from '../../test/support/cohort-fixture.ts';
import { type Backend, type BenchApp, startBenchApp } from './bench-app.ts';

const MB = 1024 * 1024;
const WARM_UP_ROWS = 300;

export interface IssueRun {
  backend: Backend;
  rows: number;
  seconds: number;
  /** CPU time of the whole process (all threads) from commit to done. */
  cpuSeconds: number;
  /** The kernel's peak RSS from commit to done. */
  peakRssMb: number;
  /** RSS just before the commit, after a full garbage collection. */
  startRssMb: number;
  /** The kernel's peak RSS while the list was uploaded (read, judged and stored as a preview). */
  uploadPeakRssMb: number;
  uploadSeconds: number;
  /** Sampled RSS, the highest in each tenth of the run: whether memory keeps growing. */
  rssByTenthMb: number[];
  /**
   * How late a timer ran on the main thread while the list was issued: what a page's request would wait before
   * this process even looked at it.
   */
  loopDelayMs: { p50: number; p99: number; max: number };
  checks: Record<string, unknown>;
  /** How long the checks of what the list produced took (not part of issuing). */
  checkSeconds: number;
}

const backend = (process.env.BULK_ONE_BACKEND ?? 'postgres') as Backend;
const rows = Number(process.env.BULK_ONE_ROWS ?? 1000);
const baseline = process.env.BULK_ONE_BASELINE === '1';

const app = await startBenchApp(backend);
// A process working on PGlite keeps its planner statistics current every PGLITE_UPKEEP_SECONDS (app-services.ts); the
// measuring process runs no job workers, so it runs that upkeep itself, or PGlite would plan the whole list on
// tables it had never analyzed.
const upkeep = backend === 'pglite' ? keepPgliteUp(app) : undefined;
try {
  await issueList(app, WARM_UP_ROWS, 'warm', {});
  let run: IssueRun;
  if (baseline) {
    app.services.credentials.signer = new CredentialSigner({ reference: true });
    run = await issueList(app, rows, 'base', { rowByRow: true, batchSize: 10 });
  } else {
    run = await issueList(app, rows, 'bulk', {});
  }
  process.stdout.write(`${JSON.stringify(run)}\n`);
} finally {
  await upkeep?.stop();
  await app.close();
}

/** Uploads a cohort's list, then times commit → done, measuring the process's memory throughout. */
async function issueList(
  app: BenchApp,
  count: number,
  tag: string,
  options: { rowByRow?: boolean; batchSize?: number },
): Promise<IssueRun> {
  const cohort = await prepareCohort(app, count, tag);
  // The cohort's learners and enrolments stand for records kept long before their list: analyzed by now.
  await upkeep?.now();
  const lists = app.services.trackingLists;
  const content = Buffer.from(cohort.csv);
  cohort.csv = '';
  gc();
  resetPeakRss();
  const uploadBegan = performance.now();
  const listId = await lists.uploadList(cohort.office, content, `${tag}.csv`);
  const uploadSeconds = (performance.now() - uploadBegan) / 1000;
  const uploadPeakRssMb = peakRssMb();
  const { list } = await lists.viewList(cohort.office, listId);
  if (list.counts.ready !== count) throw new Error(`only ${list.counts.ready} of ${count} rows are ready`);

  gc();
  const samples: { at: number; rss: number }[] = [];
  const sample = () => samples.push({ at: performance.now(), rss: process.memoryUsage.rss() });
  sample();
  resetPeakRss();
  const timer = setInterval(sample, 50);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const cpu = process.cpuUsage();
  const began = performance.now();
  try {
    await lists.commitList(cohort.committer, listId);
    await lists.processList(listId, options);
  } finally {
    clearInterval(timer);
    delay.disable();
  }
  const ended = performance.now();
  const used = process.cpuUsage(cpu);
  const peak = peakRssMb();
  const tenths = Array.from({ length: 10 }, () => 0);
  for (const { at, rss } of samples) {
    const tenth = Math.max(0, Math.min(9, Math.floor(((at - began) / (ended - began)) * 10)));
    tenths[tenth] = Math.max(tenths[tenth]!, Math.round(rss / MB));
  }
  // A tenth without a sample (the event loop was busy throughout it) shows the one before.
  for (let tenth = 1; tenth < 10; tenth++) if (tenths[tenth] === 0) tenths[tenth] = tenths[tenth - 1]!;
  const checkBegan = performance.now();
  const checks = await checkIssued(app, count, tag);
  return {
    backend,
    rows: count,
    seconds: round((ended - began) / 1000),
    cpuSeconds: round((used.user + used.system) / 1e6),
    peakRssMb: peak,
    startRssMb: Math.round(samples[0]!.rss / MB),
    uploadPeakRssMb,
    uploadSeconds: round(uploadSeconds),
    rssByTenthMb: tenths,
    loopDelayMs: {
      p50: round(delay.percentile(50) / 1e6),
      p99: round(delay.percentile(99) / 1e6),
      max: round(delay.max / 1e6),
    },
    checks,
    checkSeconds: round((performance.now() - checkBegan) / 1000),
  };
}

/**
 * Everything the list should have produced, or an error that fails the bench. Each delivery job is matched to its
 * claim mail by grouping both on the mail's id rather than by a join on the job's JSON payload: on a PGlite that
 * has not yet analyzed the new rows, the planner took both sides for a handful of rows and joined them by nested
 * loops, which on 50,000 mails is 2.5 billion comparisons (7.4 s on 2,000 rows, over ten minutes on 50,000).
 * Counting the mails that have exactly one job also catches a mail queued twice, which the join's count did not.
 */
async function checkIssued(app: BenchApp, count: number, tag: string) {
  const db = app.database.db;
  const emails = `cohort.${tag}.%`;
  const { rows: found } = await sql<{ issued: number; outbox: number; jobs: number }>`
    select
      (select count(*)::int from tracking_list_rows r
         join credentials c on c.id = r.credential_id
         join fee_charges f on f.credential_id = c.id
        where r.email like ${emails} and r.status = 'issued') as issued,
      (select count(*)::int from mail_outbox m
        where m.kind = 'badge_claim' and m.to_address like ${emails}) as outbox,
      (select count(*)::int from (
         select key from (
           select m.id::text as key, 1 as mails, 0 as jobs from mail_outbox m
            where m.kind = 'badge_claim' and m.to_address like ${emails}
           union all
           select j.data->>'outboxId', 0, 1 from pgboss.job j where j.name = 'mail-send'
         ) keyed
         group by key having sum(mails) = 1 and sum(jobs) = 1) matched) as jobs
  `.execute(db);
  const counts = {
    issuedWithCharge: found[0]?.issued,
    claimMails: found[0]?.outbox,
    deliveryJobs: found[0]?.jobs,
  };
  if (counts.issuedWithCharge !== count || counts.claimMails !== count || counts.deliveryJobs !== count) {
    throw new Error(`the list did not produce one of everything per row: ${JSON.stringify(counts)}`);
  }
  // Twenty credentials spread over the list, without loading all of them.
  const { rows: sample } = await sql<{ json: unknown }>`
    select c.json from tracking_list_rows r join credentials c on c.id = r.credential_id
    where r.email like ${emails} and r.status = 'issued' and r.line % ${Math.max(1, Math.floor(count / 20))} = 2
    order by r.line limit 20
  `.execute(db);
  for (const { json } of sample) {
    const credential = typeof json === 'string' ? JSON.parse(json) : json;
    const report = await app.services.verification.verifyObject(credential);
    if (!report.verified)
      throw new Error(`a bulk-issued credential failed verification: ${JSON.stringify(report)}`);
  }
  // Loaded only now: the outside verifier is the bench's, and would otherwise count in the app's memory.
  const { checkWithVerifierCore } = await import('./verifier-core-check.ts');
  const core = await checkWithVerifierCore(
    sample.slice(0, 5).map(({ json }) => (typeof json === 'string' ? JSON.parse(json) : json)),
  );
  return { ...counts, verifiedByStackable: sample.length, verifiedByVerifierCore: core.valid };
}

/** The PGlite upkeep on its timer, as a working process runs it, and at once when asked. */
function keepPgliteUp(app: BenchApp) {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running.then(() => pgliteUpkeep(app.database.db));
    return running;
  };
  const timer = setInterval(run, PGLITE_UPKEEP_SECONDS * 1000);
  return {
    now: run,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** Starts the kernel's peak-RSS count afresh (Linux; elsewhere the peak is the whole process's). */
function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux: VmHWM then covers the whole process, which overstates a run's peak and never hides one.
  }
}

function peakRssMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
