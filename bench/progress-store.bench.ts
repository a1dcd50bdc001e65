/**
 * progress_incremental_10k: stored requirement progress at a real university's volume (issue 20, point 3: 200,000
 * learners × 500 programs; an import of 10,000 rows refreshes only the learners it touched in ≤ 2 s; the program
 * progress page stays under 100 ms p99).
 *
 * The real app on BENCH_PROGRESS_BACKEND (postgres by default, or pglite) with the demo university grown to
 * BENCH_PROGRESS_LEARNERS learners (200,000 for the real run, 20,000 by default for a quick one) and 500 programs
 * (support/dashboard-volume.ts). Then:
 *   - baseline: every enrolment worked out and stored (what recomputing everyone costs: the daily job's work);
 *   - a completions import of 10,000 rows over 10,000 learners, through the import service (its refresh runs
 *     inside the import's transaction), timed whole; then the refresh of those same learners alone, timed
 *     BENCH_PROGRESS_ROUNDS times (median; each in its own transaction, rolled back);
 *   - the program progress page of the 20 largest programs, asked BENCH_PROGRESS_REQUESTS times through the whole
 *     HTTP stack: with every row stored for today (ours) and the next day before the daily job has run, so every
 *     verdict is worked out live on read (the way the page worked before the store: the page's baseline).
 * Correctness gate: after the import, every touched enrolment's stored row equals a live evaluation, and every
 * page answers 200; otherwise the bench fails.
 */
import { loadavg } from 'node:os';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { prepareCohort } from '../test/support/cohort-fixture.ts';
import { peakRssMb, signIn } from './dashboards.bench.ts';
import { type Backend, type BenchApp, startBenchApp } from './support/bench-app.ts';
import { growUniversity } from './support/dashboard-volume.ts';
import { type BenchDefinition, median, metric, percentiles } from './support/harness.ts';

const LEARNERS = Number(process.env.BENCH_PROGRESS_LEARNERS ?? 20_000);
const PROGRAMS = 500;
const IMPORT_ROWS = 10_000;
const ROUNDS = Number(process.env.BENCH_PROGRESS_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_PROGRESS_REQUESTS ?? 60);
const BACKEND = (process.env.BENCH_PROGRESS_BACKEND ?? 'postgres') as Backend;
const sizeLabel = `${Math.round(LEARNERS / 1000)}k`;

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const round = (v: number) => Math.round(v * 10) / 10;

export default {
  name: 'progress-store',
  description: `stored progress with ${LEARNERS} learners and ${PROGRAMS} programs (${BACKEND})`,
  async run(log) {
    const app = await startBenchApp(BACKEND);
    try {
      const cohort = await prepareCohort(app, 4, 'ps');
      const listId = await app.services.trackingLists.uploadList(
        cohort.office,
        Buffer.from(cohort.csv),
        'ps.csv',
      );
      await app.services.trackingLists.commitList(cohort.committer, listId);
      await app.services.trackingLists.processList(listId);
      await growUniversity(app.database.db, { learners: LEARNERS, programs: PROGRAMS }, log);
      const store = app.services.progress.store;
      const enrolments = await count(
        app,
        `select count(*)::int as n from enrolments where status <> 'withdrawn'`,
      );
      log(`${enrolments} counting enrolments; load ${loadavg()[0]?.toFixed(1)}`);

      // Baseline: recomputing everyone.
      let at = performance.now();
      let cpu = process.cpuUsage();
      const everyone = await store.refreshStale();
      const everyoneMs = performance.now() - at;
      const everyoneCpu = cpuMs(cpu);
      log(
        `recompute everyone: ${everyone} rows in ${Math.round(everyoneMs)} ms (CPU ${Math.round(everyoneCpu)} ms)`,
      );

      // The import: 10,000 rows, one per learner, for a course of the learner's first program.
      const rows = await sql<{ studentId: string; course: string; learnerId: string }>`
        select l.student_id as "studentId", pc.course_code as course, l.id as "learnerId"
        from learners l
        join lateral (select program_id from enrolments e where e.learner_id = l.id and e.status <> 'withdrawn'
                      order by e.enrolled_on limit 1) e on true
        join lateral (select course_code from program_courses pc where pc.program_id = e.program_id
                      order by pc.position desc limit 1) pc on true
        where l.student_id like 'BN%'
        order by l.student_id limit ${IMPORT_ROWS}`.execute(app.database.db);
      const csv = ['student_id,course_code,term,grade,credits']
        .concat(rows.rows.map((r) => `${r.studentId},${r.course},2025 Fall,A,3`))
        .join('\n');
      const touched = rows.rows.map((r) => r.learnerId);
      at = performance.now();
      cpu = process.cpuUsage();
      const result = await app.services.completionImports.importCompletions(
        { system: 'bench' },
        Readable.from([Buffer.from(csv)]),
        'bench.csv',
        'cli',
      );
      const importMs = performance.now() - at;
      const importCpu = cpuMs(cpu);
      log(
        `import of ${result.rowsTotal} rows (${result.accepted} accepted, ${result.updated} updated): ` +
          `${Math.round(importMs)} ms with its refresh (CPU ${Math.round(importCpu)} ms)`,
      );
      await checkStored(app, touched);

      const refreshRounds: number[] = [];
      const refreshCpu: number[] = [];
      let refreshed = 0;
      for (let i = 0; i < ROUNDS + 1; i += 1) {
        at = performance.now();
        cpu = process.cpuUsage();
        await app.database.db
          .transaction()
          .execute(async (trx) => {
            refreshed = await store.refreshLearners(trx, touched);
            throw new RolledBack();
          })
          .catch((error: unknown) => {
            if (!(error instanceof RolledBack)) throw error;
          });
        if (i > 0) {
          refreshRounds.push(performance.now() - at);
          refreshCpu.push(cpuMs(cpu));
        }
      }
      const refreshMs = median(refreshRounds);
      log(
        `refresh of the ${touched.length} touched learners (${refreshed} enrolments): median ${round(refreshMs)} ms ` +
          `(CPU ${round(median(refreshCpu))} ms) over ${ROUNDS}; load ${loadavg()[0]?.toFixed(1)}`,
      );

      // The program page, stored (ours) then the next day before the daily job (every verdict live).
      const slugs = (
        await sql<{ slug: string }>`
          select p.slug from programs p
          order by (select count(*) from enrolments e where e.program_id = p.id and e.status <> 'withdrawn') desc,
            p.slug limit 20`.execute(app.database.db)
      ).rows.map((r) => r.slug);
      const cookie = await signIn(app, 'credentials@cascaderidge.example');
      const stored = await timePages(app, cookie, slugs, REQUESTS);
      // Every row of yesterday, as on the next day before the daily job: the page works each verdict out live.
      await sql`update enrolment_progress set as_of = as_of - 1`.execute(app.database.db);
      const live = await timePages(app, cookie, slugs, REQUESTS);
      const largest = await count(
        app,
        `select max(n)::int as n from (select count(*) as n from enrolments where status <> 'withdrawn' group by program_id) c`,
      );
      log(
        `program page (largest program ${largest} learners): stored median ${stored.median} ms, p99 ${stored.p99} ms, ` +
          `CPU ${stored.cpuMs} ms; live median ${live.median} ms, p99 ${live.p99} ms, CPU ${live.cpuMs} ms`,
      );
      const rssMb = peakRssMb();
      const load = loadavg()[0]?.toFixed(1);
      log(`peak RSS ${rssMb} MB; load ${load}`);

      return {
        metrics: {
          progress_incremental_10k: metric({
            unit: 'ms',
            ours: refreshMs,
            baseline: everyoneMs,
            better: 'lower',
            cpuTime: { unit: 'ms', ours: median(refreshCpu), baseline: everyoneCpu },
            description:
              `median time to work out and store again the ${touched.length} learners a ${IMPORT_ROWS}-row import ` +
              `touched (${refreshed} enrolments) with ${LEARNERS} learners and ${PROGRAMS} programs on ${BACKEND}; ` +
              `baseline: recomputing everyone (${everyone} enrolments). Target 2,000 ms. The whole import with its ` +
              `refresh took ${Math.round(importMs)} ms. Peak RSS ${rssMb} MB, load ${load}.`,
          }),
          [`progress_page_p99_${sizeLabel}_${BACKEND}`]: metric({
            unit: 'ms',
            ours: stored.p99,
            baseline: live.p99,
            better: 'lower',
            cpuTime: { unit: 'ms', ours: stored.cpuMs, baseline: live.cpuMs },
            description:
              `p99 of the program progress page (20 largest programs, up to ${largest} learners, ${REQUESTS} ` +
              `requests, fastify.inject) reading stored rows; baseline: the same pages with every verdict worked ` +
              `out live (the next day, before the daily job). Target 100 ms. Load ${load}.`,
          }),
        },
        details: {
          learners: LEARNERS,
          programs: PROGRAMS,
          enrolments,
          backend: BACKEND,
          everyone: { rows: everyone, ms: round(everyoneMs), cpuMs: round(everyoneCpu) },
          import: { rows: result.rowsTotal, ms: round(importMs), cpuMs: round(importCpu) },
          refresh: { learners: touched.length, enrolments: refreshed, rounds: refreshRounds.map(round) },
          page: { stored, live, largestProgram: largest },
          peakRssMb: rssMb,
          loadAverage: loadavg(),
        },
      };
    } finally {
      await app.close();
    }
  },
} satisfies BenchDefinition;

class RolledBack extends Error {}

async function count(app: BenchApp, text: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`${sql.raw(text)}`.execute(app.database.db);
  return Number(rows[0]?.n ?? 0);
}

/** Every touched enrolment's stored row against a live evaluation: the figures mean nothing if they differ. */
async function checkStored(app: BenchApp, learnerIds: readonly string[]) {
  const db = app.database.db;
  const sample = learnerIds.filter((_, i) => i % 50 === 0);
  const enrolments = await db
    .selectFrom('enrolments as e')
    .innerJoin('programs as p', 'p.id', 'e.program_id')
    .select(['e.id', 'e.learner_id', 'e.program_id', 'e.enrolled_on', 'p.requirement'])
    .where('e.learner_id', 'in', sample)
    .where('e.status', '<>', 'withdrawn')
    .execute();
  const stored = new Map(
    (
      await app.services.progress.store.storedRows(
        db,
        enrolments.map((e) => e.id),
      )
    ).map((r) => [r.enrolmentId, r]),
  );
  for (const e of enrolments) {
    const live = await app.services.progress.measureEnrolment(
      db,
      e.learner_id,
      { id: e.program_id, requirement: e.requirement },
      e.enrolled_on,
    );
    const row = stored.get(e.id);
    if (!row || row.status !== live.status || row.percent !== live.percent || row.met !== live.met) {
      throw new Error(
        `enrolment ${e.id}: stored ${JSON.stringify(row)} but live ${live.status} ${live.percent}`,
      );
    }
  }
}

async function timePages(app: BenchApp, cookie: string, slugs: readonly string[], count: number) {
  const ask = async (turn: number) => {
    const url = `/progress/programs/${slugs[turn % slugs.length]}`;
    const response = await app.http.inject({ method: 'GET', url, headers: { cookie } });
    if (response.statusCode !== 200) {
      throw new Error(`${url} answered ${response.statusCode} ${response.headers.location ?? ''}`);
    }
  };
  for (let turn = 0; turn < 3; turn += 1) await ask(turn);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let turn = 0; turn < count; turn += 1) {
    const since = process.cpuUsage();
    const at = performance.now();
    await ask(turn);
    times.push(performance.now() - at);
    cpu.push(cpuMs(since));
  }
  return {
    median: round(median(times)),
    p99: round(percentiles(times).p99),
    max: round(Math.max(...times)),
    cpuMs: round(median(cpu)),
  };
}
