/**
 * The data the HTTP benchmark serves, prepared in a process of its own: the demo university and a cohort of
 * issued badges on the PostgreSQL database named by DATABASE_URL, with the settings (the environment) the
 * benchmark then serves them with: keys are sealed with the secret, and the issuer's DID comes from the
 * public address. Prints one line, `FACTS {json}`, with what the benchmark needs to know, and exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { prepareCohort } from '../../test/support/cohort-fixture.ts';

export interface HttpBenchFacts {
  badgeIds: string[];
  credentials: object[];
  slugs: string[];
}

async function prepare(badges: number): Promise<HttpBenchFacts> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stackable-bench-http-'));
  const config = loadConfig({ ...process.env, STACKABLE_DATA_DIR: dataDir });
  if (config.database.kind !== 'postgres') throw new Error('http-fixture.ts prepares a PostgreSQL database.');
  const app = await createApp(config, { runJobs: false });
  try {
    await app.services.demo.seedIfEmpty();
    const cohort = await prepareCohort(app, badges, 'http');
    const lists = app.services.trackingLists;
    const listId = await lists.uploadList(cohort.office, Buffer.from(cohort.csv), 'http.csv');
    await lists.commitList(cohort.committer, listId);
    await lists.processList(listId);
    const issued = await app.database.db
      .selectFrom('tracking_list_rows as r')
      .innerJoin('credentials as c', 'c.id', 'r.credential_id')
      .select(['c.id', 'c.json'])
      .where('r.list_id', '=', listId)
      .orderBy('r.line')
      .execute();
    const programs = await app.database.db
      .selectFrom('programs')
      .select('slug')
      .where('status', 'in', ['pilot', 'established'])
      .orderBy('slug')
      .execute();
    return {
      badgeIds: issued.map((row) => row.id),
      credentials: issued.map((row) => row.json),
      slugs: programs.map((row) => row.slug),
    };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const facts = await prepare(Number(process.env.BENCH_HTTP_BADGES ?? 2000));
process.stdout.write(`FACTS ${JSON.stringify(facts)}\n`);
