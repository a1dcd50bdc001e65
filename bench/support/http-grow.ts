/**
 * Grows the HTTP benchmark's database (DATABASE_URL, prepared by http-fixture.ts) to BENCH_HTTP_TOTAL_BADGES
 * issued badges with filler copied from the real ones (support/badge-volume.ts), in a process of its own with the
 * benchmark's settings. Prints one line, `GROWN {json}`, with what the benchmark then requests, and exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { growIssuedBadges } from './badge-volume.ts';

export interface GrownFacts {
  totalBadges: number;
  /** Every status list in the database, oldest first. */
  statusListIds: string[];
  /** Public credentials spread evenly over all of them (real and filler), for pages that check no proof. */
  credentialIds: string[];
  /** One public revoked badge and its status entry, to check that the served list has its bit set. */
  revoked: { credentialId: string; listId: string; index: number };
}

async function grow(total: number, sample: number): Promise<GrownFacts> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stackable-bench-grow-'));
  const config = loadConfig({ ...process.env, STACKABLE_DATA_DIR: dataDir });
  if (config.database.kind !== 'postgres') throw new Error('http-grow.ts grows a PostgreSQL database.');
  const app = await createApp(config, { runJobs: false });
  try {
    const db = app.database.db;
    const totalBadges = await growIssuedBadges(db, total, (line) => process.stderr.write(`${line}\n`));
    const lists = await db.selectFrom('status_lists').select('id').orderBy('created_at').execute();
    const publicCount = Number(
      (await sql<{ n: string }>`select count(*) as n from credentials where is_public`.execute(db)).rows[0]!
        .n,
    );
    const step = Math.max(1, Math.floor(publicCount / sample));
    const spread = await sql<{ id: string }>`
      select id from (select id, row_number() over (order by id) as r from credentials where is_public) c
      where r % ${step} = 0 order by r limit ${sample}`.execute(db);
    const revoked = await db
      .selectFrom('credentials')
      .select(['id as credentialId', 'revocation_list_id as listId', 'revocation_index as index'])
      .where('status', '=', 'revoked')
      .where('is_public', '=', true)
      .orderBy('issued_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    return {
      totalBadges,
      revoked,
      statusListIds: lists.map((row) => row.id),
      credentialIds: spread.rows.map((row) => row.id),
    };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const facts = await grow(
  Number(process.env.BENCH_HTTP_TOTAL_BADGES ?? 1_000_000),
  Number(process.env.BENCH_HTTP_SAMPLE ?? 2000),
);
process.stdout.write(`GROWN ${JSON.stringify(facts)}\n`);
