/**
 * Runs the benchmarks: `npm run bench` runs every bench/*.bench.ts, `npm run bench -- credentials`
 * only the named ones, each in its own Node process.
 *
 * A bench file's default export is a BenchDefinition (see support/harness.ts): it times ours against a
 * baseline measured in the same run and returns its metrics. For each, this writes
 * bench/results/<name>-<timestamp>.json (every round, percentiles, the machine) and merges the headline
 * figures into bench/results/latest.json as { unit, ours, baseline, ratio }. A bench that fails (for
 * instance a correctness gate) records nothing and makes the run exit with status 1. A file without a
 * BenchDefinition runs as a plain script and records nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metric } from './support/harness.ts';

const BENCH_DIR = new URL('./', import.meta.url);
const RESULTS_DIR = new URL('./results/', import.meta.url);
const LATEST = new URL('latest.json', RESULTS_DIR);
const RUN_ONE = fileURLToPath(new URL('./support/run-one.ts', import.meta.url));

interface BenchRecord {
  bench: string;
  startedAt: string;
  metrics: Record<string, Metric>;
}

const available = readdirSync(BENCH_DIR)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.slice(0, -'.bench.ts'.length))
  .sort();
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown bench ${unknown.join(', ')}; available: ${available.join(', ')}.`);
  process.exit(2);
}

mkdirSync(RESULTS_DIR, { recursive: true });
let failures = 0;
for (const name of requested.length > 0 ? requested : available) {
  const reportPath = join(tmpdir(), `stackable-bench-${process.pid}-${name}.json`);
  rmSync(reportPath, { force: true });
  console.log('');
  const child = spawnSync(process.execPath, ['--import', 'tsx', RUN_ONE], {
    stdio: 'inherit',
    env: { ...process.env, STACKABLE_BENCH_NAME: name, STACKABLE_BENCH_REPORT: reportPath },
  });
  if (child.status !== 0) {
    failures += 1;
    console.error(`  ✗ ${name} failed (exit status ${child.status ?? child.signal}); nothing recorded.`);
    continue;
  }
  if (!existsSync(reportPath)) {
    console.log(`  (${name} is a plain script, not a harness bench; nothing recorded)`);
    continue;
  }
  const record = JSON.parse(readFileSync(reportPath, 'utf8')) as BenchRecord;
  rmSync(reportPath, { force: true });
  const file = new URL(`${name}-${record.startedAt.replace(/[:.]/g, '-')}.json`, RESULTS_DIR);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  mergeLatest(record.metrics);
  for (const [key, value] of Object.entries(record.metrics)) console.log(`  ${describe(key, value)}`);
  console.log(`  → ${fileURLToPath(file)}`);
}
process.exitCode = failures > 0 ? 1 : 0;

/** latest.json keeps the last figure of every metric, from whichever run produced it. */
function mergeLatest(metrics: Record<string, Metric>): void {
  const latest = existsSync(LATEST)
    ? (JSON.parse(readFileSync(LATEST, 'utf8')) as Record<string, unknown>)
    : {};
  for (const [key, { unit, ours, baseline, ratio }] of Object.entries(metrics)) {
    latest[key] = baseline === undefined ? { unit, ours } : { unit, ours, baseline, ratio };
  }
  writeFileSync(LATEST, `${JSON.stringify(latest, null, 2)}\n`);
}

function describe(key: string, { unit, ours, baseline, ratio }: Metric): string {
  const against = baseline === undefined ? '' : ` vs baseline ${baseline} ${unit} (×${ratio})`;
  return `${key}: ${ours} ${unit}${against}`;
}
