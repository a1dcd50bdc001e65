// How much memory `stackable serve` holds before it does any work (issue 20, point 1), on a throw-away PostgreSQL
// database: RSS and heap after the start and a full garbage collection, then with PGlite's module loaded (as a
// process did before it was loaded only for the embedded database), then with the signing thread started and a
// batch signed, as the first tracking list starts it. Each way of starting is measured in fresh processes:
// `compiled` (the JavaScript copy bin/stackable.js runs) and `tsx` (STACKABLE_TSX=1).
//
//   node scripts/serve-memory.mjs [--runs N] [--ways compiled,tsx] [--seed]
//
// --seed starts as `npm start` does (the demo university); without it, as production does. The PostgreSQL server
// is BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres by default). RSS counts the whole process,
// signing threads included; heap figures are the main thread's. CPU seconds are the start's own, all threads.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '2' },
    ways: { type: 'string', default: 'compiled,tsx' },
    seed: { type: 'boolean', default: false },
  },
});
const STACKABLE = fileURLToPath(new URL('../bin/stackable.js', import.meta.url));
const PROBE = fileURLToPath(new URL('./serve-memory-probe.mjs', import.meta.url));
const SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const results = [];
for (let run = 1; run <= Number(options.runs); run++) {
  for (const way of options.ways.split(',')) {
    const result = await measure(way);
    results.push(result);
    console.log(JSON.stringify(result));
  }
}
console.log('\nmedian of the runs (MB; rss / heap used / heap total):');
for (const way of options.ways.split(',')) {
  const mine = results.filter((result) => result.way === way);
  const cell = (stage) =>
    ['rss', 'heapUsed', 'heapTotal'].map((field) => median(mine.map((r) => r[stage][field]))).join(' / ');
  console.log(
    `${way.padEnd(9)} started ${cell('started')}   +PGlite ${cell('withPglite')}   +signing ${cell('signing')}` +
      `   start CPU ${median(mine.map((r) => r.startCpuSeconds))} s`,
  );
}

async function measure(way) {
  const database = `stackable_memory_${randomBytes(5).toString('hex')}`;
  await admin(`create database ${database}`);
  const url = new URL(SERVER);
  url.pathname = `/${database}`;
  const child = spawn(process.execPath, ['--expose-gc', '--import', PROBE, STACKABLE, 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: url.toString(),
      STACKABLE_SECRET: randomBytes(32).toString('hex'),
      NODE_ENV: options.seed ? 'development' : 'production',
      STACKABLE_SEED_DEMO: String(options.seed),
      STACKABLE_TSX: way === 'tsx' ? '1' : '0',
      PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  try {
    await new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      child.stdout.on('data', (chunk) => {
        if (String(chunk).includes('Stackable is running')) resolve();
      });
    });
    const ask = (step) =>
      new Promise((resolve) => {
        child.once('message', resolve);
        child.send({ step });
      });
    const started = await ask('measure');
    const withPglite = await ask('pglite');
    const signing = await ask('sign');
    return { way, seed: options.seed, startCpuSeconds: started.cpuSeconds, started, withPglite, signing };
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    await admin(`drop database if exists ${database} with (force)`);
  }
}

async function admin(statement) {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
