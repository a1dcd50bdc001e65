/**
 * A university with a million issued badges for the HTTP benchmark, grown from the few thousand that were issued
 * for real (signed, through a tracking list) by copying their shape with set-based SQL (generate_series), so a
 * million take minutes rather than days of signing.
 *
 * Each filler badge copies one real badge (they take turns) with new ids and a new recipient, and is written as
 * the product writes an award from a badge request: a learner, the badge request (issued), the credential, the
 * award, the backpack item (nine in ten accepted, so shared) and the fee when the program has one. One in 97 is
 * revoked (its bit set in its status list, as revoking does), one in 20 hidden by its learner. Issue dates are
 * spread over the two years before the real ones.
 *
 * Status list entries follow the allocator's rules (credentials/status-list-store.ts): the issuer's open lists
 * are filled first, each free entry once, in random order; then new lists of the same size, opened in turn, so
 * every list but the last is full; `allocated` counts what each list holds and a list whose bits changed moves
 * its version on (its signed copy is remade when next served).
 *
 * What the filler is not: its credential JSON names the filler's own id, status entry, dates and recipient but
 * keeps the copied badge's proof, so the proof does not verify (a page that verifies its badge must be asked
 * about real badges only); it has no VC-JWT copy (as when an institution issued none), its e-mail hash is not
 * the app's keyed one, and nothing of the issuing pipeline's by-products (mail, audit, claim tokens) is written.
 */
import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/database.ts';
import { runSql as run, timedSteps } from './sql-steps.ts';

/** Filler badges written per round of statements: each round's working table stays a few hundred megabytes. */
const CHUNK = 100_000;
/** Real badges copied at most, the newest (the filler's dates lie before theirs, so a second growth copies them too). */
const TEMPLATES = 5000;
/** How far back the filler's issue dates reach, in minutes (two years). */
const SPREAD_MINUTES = 2 * 365 * 24 * 60;

const one = async <T>(db: Db, text: string): Promise<T> => (await sql.raw<T>(text).execute(db)).rows[0]!;

/** Grows the issued badges to `total` (counting the real ones); returns how many there are afterwards. */
export async function growIssuedBadges(db: Db, total: number, log: (line: string) => void): Promise<number> {
  const started = performance.now();
  const step = timedSteps(db, log);
  const existing = Number(
    (await one<{ n: string }>(db, 'select count(*) as n from credentials where copy_of is null')).n,
  );
  const filler = total - existing;
  if (filler <= 0) return existing;

  await run(
    db,
    `create table bench_badge_templates as
       select row_number() over (order by id) - 1 as k, t.* from (
         select c.id, c.program_id, c.program_version, c.issuer_key_id, c.issuer_did, c.json, c.issued_at,
           c.valid_from, c.valid_until, c.issued_by, a.office, a.credit_mode, a.term, a.completion_date, a.credits,
           a.issued_by as awarded_by, b.program_title, f.amount_cents,
           c.json->'credentialStatus'->>'statusListCredential' as list_url
         from credentials c
         join issued_awards a on a.credential_id = c.id and a.revoked_at is null
         join backpack_items b on b.credential_id = c.id
         left join fee_charges f on f.credential_id = c.id
         where c.copy_of is null and c.status = 'active' and c.suspension_list_id is null
           and c.json->'credentialStatus'->>'statusPurpose' = 'revocation'
         order by c.issued_at desc limit ${TEMPLATES}) t`,
  );
  const templates = await one<{ n: string; issuers: string; did: string }>(
    db,
    'select count(*) as n, count(distinct issuer_did) as issuers, min(issuer_did) as did from bench_badge_templates',
  );
  if (Number(templates.n) === 0) throw new Error('growIssuedBadges needs real issued badges to copy');
  if (Number(templates.issuers) !== 1) throw new Error('growIssuedBadges copies badges of one issuer only');
  const did = templates.did.replaceAll("'", "''");

  // The entries the filler takes, numbered 1…: the free ones of the issuer's open lists first (oldest list first,
  // random order within a list, as the allocator draws them), then those of as many new lists as it takes.
  await step(
    'free entries of the open lists',
    `create table bench_slots as
       select l.id as list_id, i as idx, row_number() over (order by l.created_at, l.id, random()) as slot
       from status_lists l cross join generate_series(0, l.size - 1) i
       where l.issuer_did = '${did}' and l.purpose = 'revocation' and l.allocated < l.size
         and not exists (select 1 from credentials c where c.revocation_list_id = l.id and c.revocation_index = i)`,
  );
  const free = Number((await one<{ n: string }>(db, 'select count(*) as n from bench_slots')).n);
  const size = Number(
    (
      await one<{ size: number | null }>(
        db,
        `select size from status_lists where issuer_did = '${did}' and purpose = 'revocation'
         order by created_at desc limit 1`,
      )
    ).size,
  );
  const newLists = Math.max(0, Math.ceil((filler - free) / size));
  await run(
    db,
    `create table bench_new_lists as
       select gen_random_uuid() as id, k, now() + k * interval '1 millisecond' as created_at
       from generate_series(1, ${newLists}) k`,
  );
  await run(
    db,
    `insert into status_lists (id, issuer_did, purpose, size, bits, created_at)
       select id, '${did}', 'revocation', ${size}, decode(repeat('00', ${size / 8}), 'hex'), created_at
       from bench_new_lists`,
  );
  await step(
    `entries of ${newLists} new lists`,
    `insert into bench_slots (list_id, idx, slot)
       select n.id, i, ${free} + row_number() over (order by n.k, random())
       from bench_new_lists n cross join generate_series(0, ${size - 1}) i`,
  );
  await run(db, 'create index on bench_slots (slot)');

  for (let from = 1; from <= filler; from += CHUNK) {
    const to = Math.min(filler, from + CHUNK - 1);
    await writeChunk(db, { from, to, offset: existing, templates: Number(templates.n) });
    log(`  filler badges ${from}–${to} of ${filler}: ${Math.round((performance.now() - started) / 1000)} s`);
  }

  // What the allocator keeps: each list's count of entries, and the bits of revoked badges set.
  await step(
    'list counts and bits',
    `update status_lists l set allocated = c.n
       from (select revocation_list_id as id, count(*) as n from credentials group by 1) c
       where c.id = l.id and l.allocated <> c.n
         and l.id in (select distinct list_id from bench_slots where slot <= ${filler})`,
  );
  await run(
    db,
    `update status_lists l set bits = b.bits, version = l.version + 1
       from (
         select l.id, decode(string_agg(lpad(to_hex(get_byte(l.bits, i) | coalesce(r.mask, 0)), 2, '0'), ''
                order by i), 'hex') as bits
         from status_lists l
         cross join generate_series(0, l.size / 8 - 1) i
         left join (
           select revocation_list_id as id, revocation_index / 8 as byte, bit_or(128 >> (revocation_index % 8)) as mask
           from credentials where status = 'revoked' group by 1, 2
         ) r on r.id = l.id and r.byte = i
         where l.id in (select distinct list_id from bench_slots where slot <= ${filler})
         group by l.id
       ) b
       where b.id = l.id and b.bits <> l.bits`,
  );
  for (const table of ['bench_badge_templates', 'bench_slots', 'bench_new_lists'])
    await run(db, `drop table ${table}`);
  // What autovacuum does on a server after a bulk load: fresh statistics and visibility maps.
  await step(
    'vacuum analyze',
    'vacuum analyze learners, credentials, status_lists, badge_requests, issued_awards, backpack_items, fee_charges',
  );
  log(`grown to ${total} issued badges in ${Math.round((performance.now() - started) / 1000)} s`);
  return total;
}

/** Filler badges `from`…`to` (numbered from 1; `offset` more in names, so they follow the real badges'). */
async function writeChunk(
  db: Db,
  { from, to, offset, templates }: { from: number; to: number; offset: number; templates: number },
): Promise<void> {
  await run(
    db,
    `create table bench_fill as
       select n, n + ${offset} as g, gen_random_uuid() as credential_id, gen_random_uuid() as learner_id,
         gen_random_uuid() as request_id, gen_random_uuid() as award_id, t.*, s.list_id, s.idx,
         n % 97 = 0 as revoked, n % 20 <> 7 as is_public,
         make_interval(mins => ((n::bigint * 7919) % ${SPREAD_MINUTES})::int) as back,
         'filler.' || (n + ${offset}) || '@students.bench.example' as email
       from generate_series(${from}, ${to}) n
       join bench_badge_templates t on t.k = n % ${templates}
       join bench_slots s on s.slot = n`,
  );
  await run(
    db,
    `insert into learners (id, email, name, student_id, status, given_name, family_name)
       select learner_id, email, 'Filler Learner ' || g, 'F' || lpad(g::text, 9, '0'), 'current', 'Filler',
         'Learner ' || g
       from bench_fill`,
  );
  const stamp = (column: string) => `to_char((${column}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  await run(
    db,
    `insert into credentials (id, program_id, program_version, issuer_key_id, issuer_did, learner_email_hash,
         recipient_name, learner_id, issued_at, valid_from, valid_until, json, jwt, status, status_reason,
         status_changed_at, revocation_list_id, revocation_index, is_public, issued_by)
       select credential_id, program_id, program_version, issuer_key_id, issuer_did,
         encode(sha256(convert_to(email, 'UTF8')), 'hex'), 'Filler Learner ' || g, learner_id,
         issued_at - back, valid_from - back, valid_until - back,
         jsonb_set(
           json || jsonb_build_object('id', 'urn:uuid:' || credential_id,
                     'validFrom', ${stamp('valid_from - back')}, 'awardedDate', ${stamp('issued_at - back')})
                || case when json ? 'validUntil' then jsonb_build_object('validUntil', ${stamp('valid_until - back')})
                   else '{}'::jsonb end
                || jsonb_build_object('credentialStatus', (json->'credentialStatus') || jsonb_build_object(
                     'id', left(list_url, length(list_url) - 36) || list_id || '#' || idx,
                     'statusListIndex', idx::text,
                     'statusListCredential', left(list_url, length(list_url) - 36) || list_id)),
           '{credentialSubject,identifier,0,identityHash}',
           to_jsonb('sha256$' || encode(sha256(convert_to(email || g, 'UTF8')), 'hex'))),
         null, case when revoked then 'revoked' else 'active' end, case when revoked then 'Filler revocation' end,
         case when revoked then issued_at - back + interval '30 days' end, list_id, idx, is_public, issued_by
       from bench_fill`,
  );
  await run(
    db,
    `insert into badge_requests (id, learner_id, program_id, status, requested_at, decided_by, decided_at,
         evaluation, credential_id, issued_at)
       select request_id, learner_id, program_id, 'issued', issued_at - back - interval '7 days', awarded_by,
         issued_at - back, '{}'::jsonb, credential_id, issued_at - back
       from bench_fill`,
  );
  await run(
    db,
    `insert into issued_awards (id, learner_id, program_id, credential_id, office, credit_mode, source,
         badge_request_id, term, completion_date, credits, issued_by, issued_at, revoked_at)
       select award_id, learner_id, program_id, credential_id, office, credit_mode, 'badge_request', request_id,
         term, completion_date - back, credits, awarded_by, issued_at - back,
         case when revoked then issued_at - back + interval '30 days' end
       from bench_fill`,
  );
  await run(
    db,
    `insert into backpack_items (credential_id, learner_email, learner_name, program_title, revocation_category,
         created_at, acceptance, acceptance_changed_at)
       select credential_id, email, 'Filler Learner ' || g, program_title, case when revoked then 'other' end,
         issued_at - back, case when n % 10 = 3 then 'pending' else 'accepted' end,
         case when n % 10 <> 3 then issued_at - back + interval '2 days' end
       from bench_fill`,
  );
  await run(
    db,
    `insert into fee_charges (id, credential_id, learner_id, program_id, amount_cents, status, posted_at)
       select gen_random_uuid(), credential_id, learner_id, program_id, amount_cents, 'posted', issued_at - back
       from bench_fill where amount_cents is not null`,
  );
  await run(db, 'drop table bench_fill');
}
