#!/usr/bin/env node
// Runs Node's own test runner over TypeScript test files (through tsx). A file's suffix names its kind:
//   unit: *.test.ts (pure code, no database)   integration: *.db.test.ts (a real database, often real HTTP)
//   e2e: *.e2e.ts (real Chromium)
// Tests live beside the code they test in src/, or in test/ when they cross modules (the security suite).
//
// The files run in a few long-lived shard processes (scripts/test-shard.mjs), one more than there are cores, each
// asking for its next file when it finishes one, longest first. Each file still gets its own database and its own
// suite; only the Node start-up and module loading are shared.
import { fork } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';
import { startCpuMeter } from './cpu-meter.mjs';

// CPU time per file and for the whole run, printed beside the wall time (see scripts/cpu-meter.mjs).
const cpuMeter = startCpuMeter(process.pid);

const kindOf = (name) =>
  name.endsWith('.e2e.ts')
    ? 'e2e'
    : name.endsWith('.db.test.ts')
      ? 'integration'
      : name.endsWith('.test.ts')
        ? 'unit'
        : undefined;

// With DATABASE_URL set, `npm test` runs the tests that touch the database (the pure ones already ran on PGlite
// and do not depend on the backend).
// Arguments ending in .ts name test files to run instead of whole kinds (with the run's snapshots all the same).
const args = process.argv.slice(2);
const named = [...new Set(args.filter((a) => a.endsWith('.ts')))];
const kinds = args.filter((k) => !k.endsWith('.ts') && !(process.env.DATABASE_URL && k === 'unit'));
const wanted = kinds.length > 0 ? kinds : ['unit', 'integration'];

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (wanted.includes(kindOf(name))) out.push(path);
  }
  return out;
}

// A database test file whose databases are all in-memory PGlite whatever DATABASE_URL says (backup refusals, the
// data-folder image) says so on a line starting `// pglite-only:`. A PostgreSQL run leaves it out when choosing
// files by kind, as it leaves out the pure tests: it would repeat the PGlite run exactly. Named, it still runs.
const PGLITE_ONLY = /^\/\/ pglite-only:/m;
const found = ['src', 'test', 'e2e'].flatMap((dir) => walk(dir)).sort();
const leftOut = process.env.DATABASE_URL
  ? found.filter((f) => kindOf(f) === 'integration' && PGLITE_ONLY.test(readFileSync(f, 'utf8')))
  : [];
const files = named.length > 0 ? named : found.filter((f) => !leftOut.includes(f));
if (named.length === 0 && leftOut.length > 0) {
  console.log(`Left out on PostgreSQL, as they use PGlite whatever the backend: ${leftOut.join(', ')}`);
}
process.env.NODE_ENV ??= 'test';
// Tells the files' own skips (`repeatsThePgliteRun`) that the run chose them by kind, not by name.
if (named.length === 0) process.env.STACKABLE_TESTS_BY_KIND = '1';

// How long each file took last time on this machine, so the longest start first and no shard is left with a long
// file at the end. Unknown files are guessed from their kind and size. PostgreSQL keeps its own record: a file that
// sleeps through a simulated outage there may be quick on PGlite.
const durationsPath = join(
  tmpdir(),
  `stackable-test-durations${process.env.DATABASE_URL ? '-postgres' : ''}.json`,
);
const readDurations = () =>
  existsSync(durationsPath) ? JSON.parse(readFileSync(durationsPath, 'utf8')) : {};
const durations = readDurations();
/** What this run measured; only these are written back, so runs side by side (CI's) keep each other's. */
const measured = {};
const guess = (file) =>
  durations[file] ?? { unit: 200, integration: 2500, e2e: 6000 }[kindOf(file)] + statSync(file).size / 10;
const queue = [...files].sort((a, b) => guess(b) - guess(a));

// Every database test file starts from a copy of one migrated (or migrated and seeded) database built here once,
// instead of running initdb, the migrations and the demo seed itself (see test/support/test-snapshots.ts).
// Pure test files need no database, so a run of only those builds nothing. The snapshots are built while the shards
// start and run the pure files: building them takes one core for several seconds, which used to leave the other
// idle and every shard still to load its modules afterwards.
const needsDatabase = files.some((f) => kindOf(f) !== 'unit');
register();
const snapshots = needsDatabase ? await import('../test/support/test-snapshots.ts') : undefined;
const snapshotDir = mkdtempSync(join(tmpdir(), 'stackable-run-'));
let built;
/** Why the snapshots could not be built, if they could not: the run fails then. */
let buildFailure;
const building = snapshots
  ? snapshots.buildSnapshots(snapshotDir).then((value) => {
      built = value;
    })
  : Promise.resolve();
// A failed build ends the run below; until then no database file is handed out.
building.catch(() => undefined);
/** What a shard sets in its environment before a database file: where the run's snapshots are. */
const snapshotEnv = () => (snapshots && built ? { [snapshots.SNAPSHOTS_ENV]: JSON.stringify(built) } : {});

/** The next file for a shard: a pure one while the snapshots are still being built, any one after. */
async function nextFile() {
  if (built === undefined && snapshots) {
    const pure = queue.findIndex((file) => kindOf(file) === 'unit');
    if (pure >= 0) return queue.splice(pure, 1)[0];
    await building;
  }
  return queue.shift();
}

async function cleanUp() {
  await building.catch(() => undefined);
  if (snapshots && built) {
    await snapshots.dropSnapshots(built).catch((error) => console.error('dropping snapshots:', error));
  }
  rmSync(snapshotDir, { recursive: true, force: true });
}

// One shard more than there are cores, so a shard waiting on job polling, a child process or a socket leaves no
// core idle. TEST_CONCURRENCY overrides it.
const shardCount = Math.min(files.length, Number(process.env.TEST_CONCURRENCY ?? availableParallelism() + 1));
const started = Date.now();
let finishedFiles = 0;

/** Runs one shard until the queue is empty; resolves with its exit code and everything it printed. */
function runShard(index) {
  const child = fork(new URL('./test-shard.mjs', import.meta.url), [], {
    execArgv: [
      // TEST_CPU_PROFILE_DIR=<folder> writes each shard's CPU profile there (open it in Chrome's DevTools), to see
      // where a run's time goes: its files' own work, PGlite, or starting apps and databases.
      ...(process.env.TEST_CPU_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.TEST_CPU_PROFILE_DIR}`]
        : []),
      '--import',
      'tsx',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
    ],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output = [];
  child.stdout.on('data', (chunk) => output.push(chunk));
  child.stderr.on('data', (chunk) => output.push(chunk));
  let current;
  child.on('message', async () => {
    cpuMeter.sample();
    const cpuNow = cpuMeter.secondsOf(child.pid);
    if (current) {
      const took = Date.now() - current.since;
      measured[current.file] = took;
      finishedFiles += 1;
      const cpuTook = cpuNow !== undefined && current.cpu !== undefined ? cpuNow - current.cpu : undefined;
      const cpuText = cpuTook === undefined ? '' : `, ${cpuTook.toFixed(1)} s CPU`;
      console.log(
        `[${finishedFiles}/${files.length}] ${current.file} (${(took / 1000).toFixed(1)} s${cpuText}, shard ${index})`,
      );
    }
    current = undefined;
    let file;
    try {
      file = await nextFile();
    } catch (error) {
      // The snapshots could not be built: no database file can run, so the shard stops and the run fails.
      buildFailure ??= error;
      file = undefined;
    }
    current = file ? { file, since: Date.now(), cpu: cpuMeter.secondsOf(child.pid) } : undefined;
    child.send({ file: file ?? null, env: file ? snapshotEnv() : {} });
  });
  children.push(child);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      const text = Buffer.concat(output).toString('utf8');
      // A shard that dies mid-file (out of memory, a crash in native code) names the file it was running.
      const lost = current
        ? `\nShard ${index} ended (${signal ?? code}) while running ${current.file}.\n`
        : '';
      resolve({ code: current ? 1 : (code ?? 1), text: text + lost });
    });
  });
}

const children = [];
// Interrupted or not, the run's templates and tarballs go (each shard passes the signal on to what it started).
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
}
const results = await Promise.all(Array.from({ length: shardCount }, (_, i) => runShard(i + 1)));
await cleanUp();
// Merged into what is on disk now, and renamed into place, since another run may have written it meanwhile.
const durationsAside = `${durationsPath}.${process.pid}`;
writeFileSync(durationsAside, JSON.stringify({ ...readDurations(), ...measured }));
renameSync(durationsAside, durationsPath);

// Each shard's report in full (its failures are repeated at its end), then the run's totals.
const totals = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
for (const [i, result] of results.entries()) {
  console.log(`\n--- shard ${i + 1} ---\n${result.text}`);
  for (const key of Object.keys(totals)) {
    const match = result.text.match(new RegExp(`^ℹ ${key} (\\d+)$`, 'm'));
    if (match) totals[key] += Number(match[1]);
  }
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
cpuMeter.sample();
const runCpu = cpuMeter.totalSeconds();
const cpuText = runCpu === undefined ? '' : ` (${runCpu.toFixed(1)} s CPU)`;
console.log(
  `\n${files.length} files in ${shardCount} shards, ${seconds} s${cpuText}: ${Object.entries(totals)
    .map(([key, n]) => `${n} ${key}`)
    .join(', ')}`,
);
// Said last, where the totals are read: the files that ran passed, but the database files never ran.
if (buildFailure) console.error("\nThe test databases' snapshots could not be built:", buildFailure);
process.exit(buildFailure || results.some((r) => r.code !== 0) ? 1 : 0);
