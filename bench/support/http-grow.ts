/**
 * Grows the HTTP benchmark's database (DATABASE_URL, prepared by http-fixture.ts) to BENCH_HTTP_TOTAL_BADGES
 * issued badges with filler copied from the real ones (support/badge-volume.ts), in a process of its own with the
 * benchmark's settings. Prints one line, `GROWN {json}`, with what the benchmark then requests, and exits.
 *
 * Filler badges carry a copied proof that does not verify, and the public badge page verifies its badge. So the
 * BENCH_HTTP_SAMPLE_1M badges (default 20,000) whose pages are requested, spread evenly over all of them, are
 * signed again here with the issuer's key, as issuing signs them: their pages then show what a visitor sees,
 * with a verified badge. More of them than a process keeps rendered pages (5,000), so, as with a million badges
 * asked for at random, nearly every request renders its page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { type App, createApp } from '../../src/app.ts';
import { CredentialSigner } from '../../src/credentials/credential-signer.ts';
import type { UnsignedOpenBadgeCredential } from '../../src/credentials/credential-types.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { growIssuedBadges } from './badge-volume.ts';

export interface GrownFacts {
  totalBadges: number;
  /** Every status list in the database, oldest first. */
  statusListIds: string[];
  /** Public, accepted badges spread evenly over all of them (real and filler), each with a valid proof. */
  badgeIds: string[];
  /** A sampled filler badge (active), to check that it verifies after signing. */
  signedFiller: string;
  /** One public revoked badge and its status entry, to check that the served list has its bit set. */
  revoked: { credentialId: string; listId: string; index: number };
}

/** Credentials signed and written back per statement. */
const SIGN_CHUNK = 500;

async function grow(total: number, sample: number): Promise<GrownFacts> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stackable-bench-grow-'));
  const config = loadConfig({ ...process.env, STACKABLE_DATA_DIR: dataDir });
  if (config.database.kind !== 'postgres') throw new Error('http-grow.ts grows a PostgreSQL database.');
  const app = await createApp(config, { runJobs: false });
  try {
    const db = app.database.db;
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const totalBadges = await growIssuedBadges(db, total, log);
    const lists = await db.selectFrom('status_lists').select('id').orderBy('created_at').execute();
    // Only an accepted badge's page is shared (migration 0047); a hidden one is not found.
    const shared = sql`credentials c join backpack_items b on b.credential_id = c.id
      where c.is_public and b.acceptance = 'accepted'`;
    const sharedCount = Number(
      (await sql<{ n: string }>`select count(*) as n from ${shared}`.execute(db)).rows[0]!.n,
    );
    const step = Math.max(1, Math.floor(sharedCount / sample));
    const spread = await sql<{ id: string }>`
      select id from (select c.id, row_number() over (order by c.id) as r from ${shared}) s
      where r % ${step} = 0 order by r limit ${sample}`.execute(db);
    const badgeIds = spread.rows.map((row) => row.id);
    const started = performance.now();
    await signAgain(app, badgeIds);
    log(`  ${badgeIds.length} sampled badges signed: ${Math.round(performance.now() - started)} ms`);
    const revoked = await db
      .selectFrom('credentials')
      .select(['id as credentialId', 'revocation_list_id as listId', 'revocation_index as index'])
      .where('status', '=', 'revoked')
      .where('is_public', '=', true)
      .orderBy('issued_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const signedFiller = await db
      .selectFrom('credentials')
      .select('id')
      .where('id', 'in', badgeIds)
      .where('status', '=', 'active')
      .where('jwt', 'is', null)
      .limit(1)
      .executeTakeFirstOrThrow();
    return {
      totalBadges,
      statusListIds: lists.map((row) => row.id),
      badgeIds,
      signedFiller: signedFiller.id,
      revoked,
    };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Signs the credentials again with their issuer's key, over their own content, and stores them. */
async function signAgain(app: App, ids: readonly string[]): Promise<void> {
  const db = app.database.db;
  // The signer issuing uses (the same bytes as the reference libraries, much faster), on this thread.
  const signer = new CredentialSigner({ threads: 0 });
  for (let start = 0; start < ids.length; start += SIGN_CHUNK) {
    const rows = await db
      .selectFrom('credentials')
      .select(['id', 'issuer_did', 'json'])
      .where('id', 'in', ids.slice(start, start + SIGN_CHUNK))
      .execute();
    const signed: string[] = [];
    for (const row of rows) {
      const key = await app.services.credentials.identity.signingKeyForDid(row.issuer_did);
      if (!key) throw new Error(`no signing key for ${row.issuer_did}`);
      const { proof: _copied, ...unsigned } = row.json as UnsignedOpenBadgeCredential & { proof?: unknown };
      signed.push(JSON.stringify((await signer.sign(unsigned, key)).credential));
    }
    await sql`
      update credentials c set json = v.json::jsonb
      from (select unnest(${rows.map((row) => row.id)}::uuid[]) as id, unnest(${signed}::text[]) as json) v
      where c.id = v.id`.execute(db);
  }
}

const facts = await grow(
  Number(process.env.BENCH_HTTP_TOTAL_BADGES ?? 1_000_000),
  Number(process.env.BENCH_HTTP_SAMPLE_1M ?? 20_000),
);
process.stdout.write(`GROWN ${JSON.stringify(facts)}\n`);
