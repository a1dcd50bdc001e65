/**
 * The data the HTTP benchmark serves, prepared in a process of its own: the demo university and a cohort of
 * issued badges on the PostgreSQL database named by DATABASE_URL, with the settings (the environment) the
 * benchmark then serves them with: keys are sealed with the secret, and the issuer's DID comes from the
 * public address. Prints one line, `FACTS {json}`, with what the benchmark needs to know, and exits.
 *
 * BENCH_HTTP_BADGES (default 2,000) badges are issued the way the credentials office issues them: one tracking
 * list, committed and worked through by the bulk issuer, so every one is a signed credential with its own status
 * list entry, award and backpack item. The benchmark requests BENCH_HTTP_SAMPLE of them (default 2,000, spread
 * evenly over the list), so a million badges in the database do not mean a million in its memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createApp } from '../../src/app.ts';
import { MAX_LIST_ROWS } from '../../src/issuing/tracking-lists.service.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { prepareCohort } from '../../test/support/cohort-fixture.ts';

export interface HttpBenchFacts {
  /** How many badges were issued; badgeIds and credentials are the sample the benchmark requests. */
  totalBadges: number;
  badgeIds: string[];
  credentials: object[];
  slugs: string[];
}

/**
 * Rows per tracking list. Half of MAX_LIST_ROWS: uploading a list of 100,000 rows fails on PostgreSQL, because
 * the upload looks its student ids up in one statement with a parameter each, over the protocol's 65,535.
 */
const LIST_ROWS = Math.min(MAX_LIST_ROWS, 50_000);

async function prepare(badges: number, sample: number): Promise<HttpBenchFacts> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stackable-bench-http-'));
  const config = loadConfig({ ...process.env, STACKABLE_DATA_DIR: dataDir });
  if (config.database.kind !== 'postgres') throw new Error('http-fixture.ts prepares a PostgreSQL database.');
  const app = await createApp(config, { runJobs: false });
  try {
    await app.services.demo.seedIfEmpty();
    const lists = app.services.trackingLists;
    const step = Math.max(1, Math.floor(badges / sample));
    const issued: { id: string; json: object }[] = [];
    const started = Date.now();
    for (let list = 0; list * LIST_ROWS < badges; list += 1) {
      const size = Math.min(LIST_ROWS, badges - list * LIST_ROWS);
      const cohort = await prepareCohort(app, size, `http${list}`);
      const listId = await lists.uploadList(cohort.office, Buffer.from(cohort.csv), `http-${list}.csv`);
      await lists.commitList(cohort.committer, listId);
      await lists.processList(listId);
      // The learners accept their badges, as they do from the claim mail: only an accepted badge's page is shared
      // (migration 0047), and the bench requests the public pages. Written set-wise, as the cohort itself is.
      await app.database.db
        .updateTable('backpack_items')
        .set({ acceptance: 'accepted', acceptance_changed_at: new Date() })
        .where(
          'credential_id',
          'in',
          app.database.db
            .selectFrom('tracking_list_rows')
            .select('credential_id')
            .where('list_id', '=', listId)
            .where('credential_id', 'is not', null),
        )
        .execute();
      const rows = await app.database.db
        .selectFrom('tracking_list_rows as r')
        .innerJoin('credentials as c', 'c.id', 'r.credential_id')
        .select(['c.id', 'c.json'])
        .where('r.list_id', '=', listId)
        .where(sql<boolean>`r.line % ${step} = 0`)
        .orderBy('r.line')
        .limit(sample - issued.length)
        .execute();
      issued.push(...rows);
      process.stderr.write(
        `issued ${list * LIST_ROWS + size} of ${badges} badges (${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
      );
    }
    const programs = await app.database.db
      .selectFrom('programs')
      .select('slug')
      .where('status', 'in', ['pilot', 'established'])
      .orderBy('slug')
      .execute();
    return {
      totalBadges: badges,
      badgeIds: issued.map((row) => row.id),
      credentials: issued.map((row) => row.json),
      slugs: programs.map((row) => row.slug),
    };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const facts = await prepare(
  Number(process.env.BENCH_HTTP_BADGES ?? 2000),
  Number(process.env.BENCH_HTTP_SAMPLE ?? 2000),
);
process.stdout.write(`FACTS ${JSON.stringify(facts)}\n`);
