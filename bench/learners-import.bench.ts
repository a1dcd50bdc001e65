/**
 * Benchmark: a large completions import through the streaming importer, on the demo university.
 * Run: node --import tsx bench/learners-import.bench.ts [rows=100000]
 * With DATABASE_URL set it runs on PostgreSQL (a throw-away database), otherwise on in-memory PGlite. Note that
 * in-memory PGlite keeps the database itself in the process, so its RSS growth includes the rows written.
 */
import { syntheticCompletionsCsv, withPeakMemory } from '../test/support/completions-fixture.ts';
import { startTestApp } from '../test/support/test-app.ts';
import { testBackend } from '../test/support/test-database.ts';

const rows = Number(process.argv[2] ?? 100_000);
const app = await startTestApp({ seed: true, runJobs: false });
try {
  const db = app.database.db;
  const studentIds = (await db.selectFrom('learners').select('student_id').execute()).map(
    (r) => r.student_id,
  );
  const courseCodes = (await db.selectFrom('courses').select('code').execute()).map((r) => r.code);
  const run = (label: string) =>
    withPeakMemory(() =>
      app.services.completionImports.importCompletions(
        { system: 'benchmark' },
        syntheticCompletionsCsv({ rows, studentIds, courseCodes }),
        `${label}.csv`,
        'cli',
      ),
    );
  global.gc?.();
  const first = await run('first');
  const again = await run('again');
  const report = (label: string, r: typeof first) =>
    console.log(
      `${label.padEnd(10)} ${rows} rows on ${testBackend}: ${(r.ms / 1000).toFixed(1)} s ` +
        `(${Math.round(rows / (r.ms / 1000))} rows/s), peak growth: RSS ${r.peakRssGrowthMb} MB, JS heap ${r.peakHeapGrowthMb} MB; ` +
        `accepted ${r.result.accepted}, updated ${r.result.updated}, unchanged ${r.result.unchanged}, rejected ${r.result.rejected}`,
    );
  report('import', first);
  report('re-import', again);
} finally {
  await app.close();
}
