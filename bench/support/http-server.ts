/**
 * The app as the HTTP benchmark loads it, in a process of its own (so the load generator does not share
 * its event loop): production settings behind a proxy (X-Forwarded-For trusted), an https public address
 * (so the issuer is a did:web, as in production), the demo university and a cohort of issued badges, on
 * the PostgreSQL database named by DATABASE_URL. Prints one line, `READY {json}`, with the port and
 * what the benchmark needs to know; stops cleanly on SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.ts';
import { prepareCohort } from '../../src/issuing/cohort-fixture.ts';
import { loadConfig } from '../../src/platform/config.ts';

const BADGES = Number(process.env.BENCH_HTTP_BADGES ?? 2000);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('http-server.ts is started by bench/http.bench.ts with DATABASE_URL.');

const dataDir = mkdtempSync(join(tmpdir(), 'stackable-bench-http-'));
const config = loadConfig({
  NODE_ENV: 'production',
  STACKABLE_SECRET: 'bench-secret-that-is-long-enough-for-validation',
  STACKABLE_DATA_DIR: dataDir,
  PUBLIC_URL: 'https://badges.cascaderidge.example',
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: 'warn',
});
const app = await createApp(config, { runJobs: false });
await app.services.demo.seedIfEmpty();

const cohort = await prepareCohort(app, BADGES, 'http');
const lists = app.services.trackingLists;
const listId = await lists.uploadList(cohort.office, Buffer.from(cohort.csv), 'http.csv');
await lists.commitList(cohort.office, listId);
await lists.processList(listId);
const issued = await app.database.db
  .selectFrom('tracking_list_rows as r')
  .innerJoin('credentials as c', 'c.id', 'r.credential_id')
  .select(['c.id', 'c.json', 'c.jwt'])
  .where('r.list_id', '=', listId)
  .orderBy('r.line')
  .execute();
const programs = await app.database.db
  .selectFrom('programs')
  .select('slug')
  .where('status', 'in', ['pilot', 'established'])
  .orderBy('slug')
  .execute();

await app.http.listen({ port: 0, host: '127.0.0.1' });
const address = app.http.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(
  `READY ${JSON.stringify({
    port,
    badgeIds: issued.map((row) => row.id),
    credentials: issued.map((row) => row.json),
    jwts: issued.slice(0, 5).map((row) => row.jwt),
    slugs: programs.map((row) => row.slug),
  })}\n`,
);

let stopping = false;
process.on('SIGTERM', async () => {
  if (stopping) return;
  stopping = true;
  await app.close().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});
