/**
 * A university at real volume for the dashboards benchmark: the demo university grown to `programs` programs and
 * `learners` learners, written with set-based SQL (generate_series) so 200,000 learners take seconds, not hours.
 *
 * What is written is what the dashboards read, shaped as the product writes it:
 *   - programs copied from the demo ones (same rules, courses and fees), one in ten led by a demo lead;
 *   - learners, each enrolled in one program and one in four in a second, across about two and a half years;
 *   - course completions (every course for those who finished, a few for the others);
 *   - for one enrolment in three, an issued badge: badge request, credential, award, backpack item and fee, with
 *     some revoked, some declined or hidden, some claimed and accepted, some fees waived;
 *   - open badge requests for the office's queue;
 *   - last month's registrar and bursar files, holding everything older than a month.
 * The credentials copy one real issued credential's key and status list (their JSON is not what is measured).
 * The numbers are fixed by each learner's sequence number, so two runs build the same university.
 */
import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/database.ts';
import { runSql as run, timedSteps } from './sql-steps.ts';

export interface VolumeSize {
  learners: number;
  programs: number;
}

export async function growUniversity(db: Db, size: VolumeSize, log: (line: string) => void): Promise<void> {
  const template = await sql<{ id: string }>`select id from credentials order by issued_at limit 1`.execute(
    db,
  );
  if (!template.rows[0]) throw new Error('growUniversity needs one issued credential to copy its key from');
  const claimer = await sql<{ id: string }>`select id from users order by created_at limit 1`.execute(db);
  const started = performance.now();
  const step = timedSteps(db, log);
  const existing = Number(
    (await sql<{ n: number }>`select count(*)::int as n from programs`.execute(db)).rows[0]!.n,
  );
  const extra = Math.max(0, size.programs - existing);

  await step(
    'programs',
    `create table bench_program_map as
       select gen_random_uuid() as id, p.id as source_id, n
       from generate_series(1, ${extra}) n
       join (select id, row_number() over (order by slug) - 1 as k from programs) p on p.k = n % ${existing}`,
  );
  await run(
    db,
    `create table bench_programs as
       select m.id as bench_id, m.n as bench_n, p.* from bench_program_map m join programs p on p.id = m.source_id`,
  );
  await run(
    db,
    `update bench_programs set id = bench_id, slug = left('b' || bench_n || '-' || slug, 80),
       title = left(title, 180) || ' ' || bench_n,
       lead_user_id = case when bench_n % 10 = 0 then lead_user_id end`,
  );
  await run(db, 'alter table bench_programs drop column bench_id, drop column bench_n');
  await run(db, 'insert into programs select * from bench_programs');
  await run(
    db,
    `insert into program_courses (program_id, course_code, position)
       select m.id, pc.course_code, pc.position from bench_program_map m
       join program_courses pc on pc.program_id = m.source_id`,
  );
  await run(
    db,
    `create table bench_program_index as
       select id, row_number() over (order by slug) - 1 as k, credit_type, fee_cents, title,
         (select count(*) from program_courses pc where pc.program_id = p.id) as courses
       from programs p`,
  );

  await step(
    'learners',
    `create table bench_learners as select n, gen_random_uuid() as id from generate_series(1, ${size.learners}) n`,
  );
  await run(
    db,
    `insert into learners (id, email, name, student_id, status, given_name, family_name)
       select id, 'bench.' || n || '@students.bench.example', 'Bench Learner ' || n,
         'BN' || lpad(n::text, 8, '0'),
         (array['degree_seeking', 'non_degree_seeking', 'current', 'returning'])[1 + n % 4],
         'Bench', 'Learner ' || n
       from bench_learners`,
  );

  // Each learner's first program spreads them evenly; one in four also takes a second one.
  await step(
    'enrolments',
    `create table bench_enrolments as
       select l.n, l.id as learner_id, p.id as program_id, p.credit_type, p.fee_cents, p.title, p.courses,
         first.is_first,
         (date '2024-06-01' + ((l.n * 7) % 880))::date as enrolled_on,
         first.is_first and l.n % 3 = 0 as awarded
       from bench_learners l
       cross join lateral (values (true, (l.n * 7919) % ${size.programs}),
                                  (false, (l.n * 31 + 1) % ${size.programs})) first (is_first, k)
       join bench_program_index p on p.k = first.k
       where first.is_first or (l.n % 4 = 0 and (l.n * 31 + 1) % ${size.programs} <> (l.n * 7919) % ${size.programs})`,
  );
  await run(
    db,
    `insert into enrolments (id, learner_id, program_id, path, enrolled_on, status)
       select gen_random_uuid(), learner_id, program_id,
         (array['new', 'non_degree', 'current', 'returning'])[1 + (n / 3) % 4], enrolled_on,
         case when awarded then 'completed' when n % 17 = 0 then 'withdrawn' else 'active' end
       from bench_enrolments`,
  );
  await step(
    'completions',
    `insert into completions (id, learner_id, course_code, term, grade, credits, completed_on)
       select gen_random_uuid(), e.learner_id, pc.course_code, 'Bench', 'A', c.credits,
         least(e.enrolled_on + 30 * pc.position, current_date)
       from bench_enrolments e
       join program_courses pc on pc.program_id = e.program_id
       join courses c on c.code = pc.course_code
       where e.awarded or pc.position <= e.n % 3
       on conflict do nothing`,
  );

  await step(
    'badges',
    `create table bench_awards as
       select e.*, gen_random_uuid() as credential_id, gen_random_uuid() as request_id,
         least(e.enrolled_on + 120 + e.n % 60, current_date - 1) as completed_on, e.n % 97 = 0 as revoked
       from bench_enrolments e where e.awarded`,
  );
  await run(
    db,
    `insert into credentials (id, program_id, program_version, issuer_key_id, issuer_did, learner_email_hash,
         recipient_name, learner_id, issued_at, valid_from, json, status, status_reason, status_changed_at,
         revocation_list_id, revocation_index, is_public)
       select a.credential_id, a.program_id, 1, t.issuer_key_id, t.issuer_did, md5(a.n::text),
         'Bench Learner ' || a.n, a.learner_id, a.completed_on + 14, a.completed_on + 14, '{}'::jsonb,
         case when a.revoked then 'revoked' else 'active' end, case when a.revoked then 'Bench' end,
         case when a.revoked then a.completed_on + 30 end,
         t.revocation_list_id, 1000000 + a.n, a.n % 11 <> 0
       from bench_awards a cross join (select * from credentials where id = '${template.rows[0].id}') t`,
  );
  await run(
    db,
    `insert into badge_requests (id, learner_id, program_id, status, requested_at, decided_by, decided_at,
         evaluation, credential_id, issued_at)
       select request_id, learner_id, program_id, 'issued', completed_on, ${claimer.rows[0] ? `'${claimer.rows[0].id}'` : 'null'},
         completed_on + 7, '{}'::jsonb, credential_id, completed_on + 14
       from bench_awards`,
  );
  await run(
    db,
    `insert into issued_awards (id, learner_id, program_id, credential_id, office, credit_mode, source,
         badge_request_id, completion_date, credits, issued_at, revoked_at)
       select gen_random_uuid(), learner_id, program_id, credential_id,
         case when credit_type = 'non_credit' then 'credentials_office' else 'registrar' end,
         case when credit_type = 'non_credit' then 'non_credit' else 'credit' end,
         'badge_request', request_id, completed_on, 0, completed_on + 14,
         case when revoked then completed_on + 30 end
       from bench_awards`,
  );
  await run(
    db,
    `insert into backpack_items (credential_id, learner_email, learner_name, program_title, claimed_at,
         claimed_by_user_id, acceptance, acceptance_changed_at)
       select credential_id, 'bench.' || n || '@students.bench.example', 'Bench Learner ' || n, left(title, 300),
         case when n % 2 = 0 then completed_on + 20 end,
         case when n % 2 = 0 then ${claimer.rows[0] ? `'${claimer.rows[0].id}'::uuid` : 'null'} end,
         case when n % 2 = 0 then 'accepted' when n % 10 = 3 then 'declined' else 'pending' end,
         case when n % 2 = 0 or n % 10 = 3 then completed_on + 20 end
       from bench_awards`,
  );
  await run(
    db,
    `insert into fee_charges (id, credential_id, learner_id, program_id, amount_cents, status, posted_at,
         waived_at, reason)
       select gen_random_uuid(), credential_id, learner_id, program_id, fee_cents,
         case when n % 13 = 0 then 'waived' else 'posted' end, completed_on + 14,
         case when n % 13 = 0 then completed_on + 15 end, case when n % 13 = 0 then 'Bench waiver' end
       from bench_awards where fee_cents > 0`,
  );
  await step(
    'open requests',
    `insert into badge_requests (id, learner_id, program_id, status, requested_at, evaluation)
       select gen_random_uuid(), learner_id, program_id, 'requested', enrolled_on + 100, '{}'::jsonb
       from bench_enrolments where not awarded and n % 50 = 1`,
  );
  // A university of this size sends the registrar and the bursar their files as it goes (monthly here): what is
  // older than a month went in last month's files, so the homes' queues hold a month's work, not two and a half
  // years'. A notation revoked before that file went with it was withdrawn in it.
  await step(
    'exports',
    `insert into registrar_exports (id, created_at, created_by_label, row_count, withdrawal_count)
       values ('00000000-0000-4000-8000-00000000b001', current_date - 30, 'Bench', 0, 0)`,
  );
  await run(
    db,
    `update issued_awards set registrar_export_id = '00000000-0000-4000-8000-00000000b001',
         registrar_withdrawal_id = case when revoked_at < current_date - 30
           then '00000000-0000-4000-8000-00000000b001'::uuid end
       where credit_mode = 'credit' and issued_at < current_date - 30 and source <> 'renewal'`,
  );
  await run(
    db,
    `update registrar_exports set
         row_count = (select count(*) from issued_awards
           where registrar_export_id = '00000000-0000-4000-8000-00000000b001'),
         withdrawal_count = (select count(*) from issued_awards
           where registrar_withdrawal_id = '00000000-0000-4000-8000-00000000b001')
       where id = '00000000-0000-4000-8000-00000000b001'`,
  );
  await run(
    db,
    `insert into bursar_exports (id, created_at, created_by_label, charge_count, reversal_count, net_cents)
       select '00000000-0000-4000-8000-00000000b002', current_date - 30, 'Bench', count(*), 0,
         coalesce(sum(amount_cents), 0)
       from fee_charges where status = 'posted' and posted_at < current_date - 30`,
  );
  await run(
    db,
    `update fee_charges set exported_batch = '00000000-0000-4000-8000-00000000b002'
       where status = 'posted' and posted_at < current_date - 30`,
  );
  for (const table of ['bench_awards', 'bench_enrolments', 'bench_learners', 'bench_program_index'])
    await run(db, `drop table ${table}`);
  await run(db, 'drop table bench_programs');
  await run(db, 'drop table bench_program_map');
  // What autovacuum does on a server after a bulk load: fresh statistics, and visibility maps so counts can be
  // answered from indexes alone.
  await step('vacuum analyze', 'vacuum analyze');
  log(`grown in ${Math.round((performance.now() - started) / 1000)} s`);
}
