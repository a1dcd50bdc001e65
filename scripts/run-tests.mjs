#!/usr/bin/env node
// Runs Node's own test runner over TypeScript test files (through tsx). A file's suffix names its kind:
//   unit: *.test.ts (pure code, no database)   integration: *.db.test.ts (a real database, often real HTTP)
//   e2e: *.e2e.ts (real Chromium)
// Tests live beside the code they test in src/, or in test/ when they cross modules (the security suite).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';

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
const named = args.filter((a) => a.endsWith('.ts'));
const kinds = args.filter((k) => !k.endsWith('.ts') && !(process.env.DATABASE_URL && k === 'unit'));
const wanted = kinds.length > 0 ? kinds : ['unit', 'integration'];

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (wanted.includes(kindOf(name))) out.push(path);
  }
  return out;
}

const files = named.length > 0 ? named : ['src', 'test', 'e2e'].flatMap((dir) => walk(dir)).sort();
process.env.NODE_ENV ??= 'test';

// Every database test file starts from a copy of one migrated (or migrated and seeded) database built here once,
// instead of running initdb, the migrations and the demo seed itself (see test/support/test-snapshots.ts).
// Pure test files need no database, so a run of only those builds nothing.
const needsDatabase = files.some((f) => kindOf(f) !== 'unit');
register();
const snapshots = needsDatabase ? await import('../test/support/test-snapshots.ts') : undefined;
const snapshotDir = mkdtempSync(join(tmpdir(), 'stackable-run-'));
const built = snapshots ? await snapshots.buildSnapshots(snapshotDir) : undefined;
async function cleanUp() {
  if (snapshots && built) {
    await snapshots.dropSnapshots(built).catch((error) => console.error('dropping snapshots:', error));
  }
  rmSync(snapshotDir, { recursive: true, force: true });
}

// One file more than there are cores, so a file waiting on job polling, a child process or a socket leaves no core
// idle. On two shared cores, 2, 3 and 4 measured within noise of each other (eight files: 49, 48, 44 s), as the
// files are mostly CPU-bound. TEST_CONCURRENCY overrides it.
const concurrency = process.env.TEST_CONCURRENCY ?? String(availableParallelism() + 1);
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      ...(snapshots && built ? { [snapshots.SNAPSHOTS_ENV]: JSON.stringify(built) } : {}),
    },
  },
);
// Interrupted or not, the run's templates and tarballs go (the test runner passes the signal on to its files).
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
const status = await new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
await cleanUp();
process.exit(status);
