/**
 * bulk_issue_10k_pglite and bulk_issue_10k_postgres: a 10,000-row tracking list from commit to every
 * credential signed and stored, every fee charged and every claim e-mail queued, on PGlite (on disk, as
 * `npm start` runs) and on a throw-away PostgreSQL database, with the process's peak RSS.
 *
 * Ours is the app as it is: chunks of ISSUE_BATCH_SIZE rows per transaction, set-wise writes, the fast
 * signer. The baseline, measured in the same run on the same database, is the way it was done before:
 * every row issued on its own (10 per transaction) and signed with the reference libraries
 * (signCredential, signCredentialJwt). It would take minutes on 10,000 rows, so it runs on
 * BENCH_BULK_BASELINE_ROWS rows (300) and is extrapolated linearly to the full list: its cost per row does
 * not depend on the list's length.
 *
 * The job's handler (processList) is called directly after commitList, as the pg-boss worker would call
 * it; in a running app the worker picks the job up within its polling interval (one second).
 * Correctness gates (fail the bench): every row issued, one fee charge, one claim e-mail and one delivery
 * job per credential, and a sample of the credentials verified by the app's full verifier and by
 * @digitalcredentials/verifier-core.
 */
import { sql } from 'kysely';
import { CredentialSigner } from '../src/credentials/credential-signer.ts';
import { ISSUE_BATCH_SIZE } from '../src/issuing/tracking-list-issuer.ts';
import { prepareCohort } from '../test/support/cohort-fixture.ts';
import { type Backend, type BenchApp, benchPostgresUrl, startBenchApp } from './support/bench-app.ts';
import { type BenchDefinition, type Metric, metric } from './support/harness.ts';
import { checkWithVerifierCore } from './support/verifier-core-check.ts';

const ROWS = Number(process.env.BENCH_BULK_ROWS ?? 10_000);
const BASELINE_ROWS = Number(process.env.BENCH_BULK_BASELINE_ROWS ?? 300);
const WARM_UP_ROWS = 300;
// PostgreSQL first: PGlite keeps its database in this process, and its memory would blur PostgreSQL's RSS.
const BACKENDS: Backend[] = process.env.BENCH_POSTGRES_URL === '' ? ['pglite'] : ['postgres', 'pglite'];
const MB = 1024 * 1024;

interface IssueRun {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  startRssMb: number;
  /** Peak RSS over each tenth of the run, to show whether memory keeps growing. */
  rssByTenthMb: number[];
}

export default {
  name: 'bulk-issue',
  description: `a ${ROWS}-row tracking list from commit to done, on PGlite and PostgreSQL`,
  async run(log) {
    const metrics: Record<string, Metric> = {};
    const details: Record<string, unknown> = {
      rows: ROWS,
      baselineRows: BASELINE_ROWS,
      chunk: ISSUE_BATCH_SIZE,
    };
    for (const backend of BACKENDS) {
      log(`${backend}: starting the app${backend === 'postgres' ? ` on ${benchPostgresUrl}` : ''}…`);
      const app = await startBenchApp(backend);
      try {
        log(`${backend}: warming up on ${WARM_UP_ROWS} rows…`);
        await issueList(app, WARM_UP_ROWS, 'warm');

        log(`${backend}: baseline, ${BASELINE_ROWS} rows one by one with the reference signer…`);
        const fast = app.services.credentials.signer;
        app.services.credentials.signer = new CredentialSigner({ reference: true });
        let baseline: IssueRun;
        try {
          baseline = await issueList(app, BASELINE_ROWS, 'base', { rowByRow: true, batchSize: 10 });
        } finally {
          app.services.credentials.signer = fast;
        }
        const baselineSeconds = (baseline.seconds * ROWS) / BASELINE_ROWS;
        log(
          `${backend}: baseline ${baseline.seconds.toFixed(1)} s for ${BASELINE_ROWS} rows ` +
            `(${(BASELINE_ROWS / baseline.seconds).toFixed(0)} rows/s) → ${baselineSeconds.toFixed(0)} s for ${ROWS}`,
        );

        log(`${backend}: ours, ${ROWS} rows…`);
        const ours = await issueList(app, ROWS, 'bulk');
        log(
          `${backend}: ${ours.seconds.toFixed(1)} s (${(ROWS / ours.seconds).toFixed(0)} rows/s), ` +
            `RSS ${ours.startRssMb} MB at commit, peak ${ours.peakRssMb} MB; by tenths ${ours.rssByTenthMb.join(' ')}`,
        );
        const checks = await checkIssued(app, ROWS, 'bulk');
        log(`${backend}: checks passed: ${JSON.stringify(checks)}`);

        metrics[`bulk_issue_10k_${backend}`] = metric({
          unit: 's',
          ours: ours.seconds,
          baseline: baselineSeconds,
          better: 'lower',
          description:
            `${ROWS}-row tracking list on ${backend}, commit to done (credentials stored, fees charged, ` +
            `claim e-mails queued), chunks of ${ISSUE_BATCH_SIZE}: ${Math.round(ROWS / ours.seconds)} rows/s, ` +
            `peak RSS ${ours.peakRssMb} MB (${ours.startRssMb} MB at commit). Baseline: row by row with the ` +
            `reference signer on ${BASELINE_ROWS} rows, extrapolated to ${ROWS}.`,
        });
        details[backend] = {
          ours: { ...ours, rowsPerSecond: round(ROWS / ours.seconds) },
          baseline: {
            ...baseline,
            rowsPerSecond: round(BASELINE_ROWS / baseline.seconds),
            extrapolatedSeconds: round(baselineSeconds),
          },
          checks,
        };
      } finally {
        await app.close();
      }
    }
    return { metrics, details };
  },
} satisfies BenchDefinition;

/** Uploads a cohort's list, then times commit → done, sampling the process's memory throughout. */
async function issueList(
  app: BenchApp,
  rows: number,
  tag: string,
  options: { rowByRow?: boolean; batchSize?: number } = {},
): Promise<IssueRun> {
  const cohort = await prepareCohort(app, rows, tag);
  const lists = app.services.trackingLists;
  const listId = await lists.uploadList(cohort.office, Buffer.from(cohort.csv), `${tag}.csv`);
  const { list } = await lists.viewList(cohort.office, listId);
  if (list.counts.ready !== rows) throw new Error(`only ${list.counts.ready} of ${rows} rows are ready`);

  global.gc?.();
  const samples: { at: number; rss: number }[] = [];
  const sample = () => samples.push({ at: performance.now(), rss: process.memoryUsage().rss });
  sample();
  const timer = setInterval(sample, 50);
  const cpu = process.cpuUsage();
  const began = performance.now();
  try {
    await lists.commitList(cohort.committer, listId);
    await lists.processList(listId, options);
  } finally {
    clearInterval(timer);
  }
  const ended = performance.now();
  const used = process.cpuUsage(cpu);
  sample();
  const tenths = Array.from({ length: 10 }, () => 0);
  for (const { at, rss } of samples) {
    const tenth = Math.max(0, Math.min(9, Math.floor(((at - began) / (ended - began)) * 10)));
    tenths[tenth] = Math.max(tenths[tenth]!, Math.round(rss / MB));
  }
  // A tenth without a sample (the event loop was busy throughout it) shows the one before.
  for (let tenth = 1; tenth < 10; tenth++) if (tenths[tenth] === 0) tenths[tenth] = tenths[tenth - 1]!;
  return {
    seconds: round((ended - began) / 1000),
    cpuSeconds: round((used.user + used.system) / 1e6),
    peakRssMb: Math.round(Math.max(...samples.map((s) => s.rss)) / MB),
    startRssMb: Math.round(samples[0]!.rss / MB),
    rssByTenthMb: tenths,
  };
}

/** Everything the list should have produced, or an error that fails the bench. */
async function checkIssued(app: BenchApp, rows: number, tag: string) {
  const db = app.database.db;
  const emails = `cohort.${tag}.%`;
  const issued = await db
    .selectFrom('tracking_list_rows as r')
    .innerJoin('credentials as c', 'c.id', 'r.credential_id')
    .innerJoin('fee_charges as f', 'f.credential_id', 'c.id')
    .select(['c.json'])
    .where('r.email', 'like', emails)
    .where('r.status', '=', 'issued')
    .execute();
  const { rows: mail } = await sql<{ outbox: number; jobs: number }>`
    select count(*)::int as outbox,
           count(j.id)::int as jobs
    from mail_outbox m
    left join pgboss.job j on j.name = 'mail-send' and j.data->>'outboxId' = m.id::text
    where m.kind = 'badge_claim' and m.to_address like ${emails}
  `.execute(db);
  const counts = {
    issuedWithCharge: issued.length,
    claimMails: mail[0]?.outbox,
    deliveryJobs: mail[0]?.jobs,
  };
  if (counts.issuedWithCharge !== rows || counts.claimMails !== rows || counts.deliveryJobs !== rows) {
    throw new Error(`the list did not produce one of everything per row: ${JSON.stringify(counts)}`);
  }
  const sample = Array.from({ length: 20 }, (_, i) => issued[Math.floor((i * issued.length) / 20)]!.json);
  for (const credential of sample) {
    const report = await app.services.verification.verifyObject(credential);
    if (!report.verified)
      throw new Error(`a bulk-issued credential failed verification: ${JSON.stringify(report)}`);
  }
  const core = await checkWithVerifierCore(sample.slice(0, 5));
  return { ...counts, verifiedByStackable: sample.length, verifiedByVerifierCore: core.valid };
}

const round = (value: number) => Math.round(value * 100) / 100;
