/**
 * http_catalog, http_program, http_badge, http_verify: requests per second, p99 latency and errors of the
 * public pages and the verification API under autocannon, on PostgreSQL, with the app served as an operator
 * serves it (`stackable serve` in production settings, its own processes) and autocannon in this process, on
 * the same machine. The data is prepared first by bench/support/http-fixture.ts: the demo university and a
 * cohort of issued badges.
 *
 *   GET  /catalog               the catalog page
 *   GET  /catalog/<slug>        each offered program's page in turn
 *   GET  /badges/<id>           each of 2,000 issued badges' public page in turn (it verifies the badge)
 *   POST /credentials/verify    VC-API { verifiableCredential } with each of the 2,000 badges in turn
 *
 * The headline figures are for STACKABLE_PROCESSES set to one process per core (BENCH_HTTP_PROCESSES, by
 * default the machine's cores), as docs/performance.md advises for a machine of its own; every target is
 * measured again with one process, and that figure is given beside it (and for verification as a metric of its
 * own, http_verify_one_process).
 *
 * Verification is measured cold: the servers run with STACKABLE_REMEMBERED_SIGNATURES=0, so every request checks
 * its badge's signature, although the bench sends each badge many times. The same one-process verification with
 * the default memory (a badge sent again skips its signature check) is measured last, on a server of its own, as
 * http_verify_one_process_warm.
 *
 * Pages are served as the app serves them to anonymous visitors: from the per-process page cache when a
 * page was rendered in the last 30 seconds (platform/http/public-page-cache.ts). What rendering costs is
 * measured too (details only, `render`): the same pages with a query string no request repeats, so
 * every one is rendered.
 *
 * The verification API is rate-limited per client address (120 a minute), as it should be, so the load
 * comes from many simulated clients: every request carries its own X-Forwarded-For, which the app trusts
 * in production (behind a proxy). Pages are requested without If-None-Match, so every response is a full
 * render; whether they would cache is checked separately (ETag, Cache-Control, a 304 on If-None-Match).
 *
 * Then, with a million issued badges (BENCH_HTTP_TOTAL_BADGES, default 1,000,000; smaller while exploring): the
 * database is grown with filler copied from the real badges (support/http-grow.ts, support/badge-volume.ts) and
 * served again, for http_badge_1m (the public pages of BENCH_HTTP_SAMPLE_1M badges spread over all of them, the
 * filler ones among them signed again since the page verifies its badge's proof; more than the page cache holds),
 * http_credential_1m (GET /credentials/<id>, the credential's JSON, of the same badges) and http_status_list_1m
 * (every status list in turn). BENCH_KEEP_DATABASE=1 keeps the database and prints its address, for EXPLAIN; drop
 * it by hand afterwards.
 *
 * The baseline, in the same run against the same server, is the cheapest route the app has (GET /healthz):
 * what this server and load generator can do at all on this machine, so each ratio says how close a
 * page comes to it. Baseline and target take turns, round by round (BENCH_HTTP_ROUNDS of
 * BENCH_HTTP_SECONDS each); the figures are the medians of the rounds.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { decodeList, getBit } from '../src/credentials/status-list.ts';
import { benchPostgresUrl, createThrowawayDatabase } from './support/bench-app.ts';
import { cpuBetween, databaseCpu, processCpuSeconds } from './support/database-cpu.ts';
import { type BenchDefinition, type Metric, median, metric } from './support/harness.ts';
import type { HttpBenchFacts } from './support/http-fixture.ts';
import type { GrownFacts } from './support/http-grow.ts';
import { startServe, stopServe } from './support/serve-process.ts';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
// Long enough for a process to reach its steady rate: verification ran 0.47 ms of CPU a request 3–8 s into its load
// and 0.37–0.39 ms from about 10 s on (V8 optimising the hot code), which a server running for days never sees.
const WARM_UP_SECONDS = Number(process.env.BENCH_HTTP_WARM_UP_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 16);
const PROCESSES = Number(process.env.BENCH_HTTP_PROCESSES ?? availableParallelism());
const TOTAL_BADGES = Number(process.env.BENCH_HTTP_TOTAL_BADGES ?? 1_000_000);
const KEEP_DATABASE = process.env.BENCH_KEEP_DATABASE === '1';
const FIXTURE = fileURLToPath(new URL('./support/http-fixture.ts', import.meta.url));
const GROW = fileURLToPath(new URL('./support/http-grow.ts', import.meta.url));

/** How the data is prepared and served: production, behind a proxy, an https address (a did:web issuer). */
const SETTINGS = {
  NODE_ENV: 'production',
  STACKABLE_SECRET: 'bench-secret-that-is-long-enough-for-validation',
  PUBLIC_URL: 'https://badges.cascaderidge.example',
  LOG_LEVEL: 'warn',
  STACKABLE_SEED_DEMO: 'false',
  // The load generator stands in for the proxy, on this machine: its X-Forwarded-For names each client.
  STACKABLE_TRUSTED_PROXIES: '127.0.0.1',
};

interface Target {
  key: string;
  label: string;
  method: 'GET' | 'POST';
  /** The path and body of the n-th request. */
  request(n: number): { path: string; body?: string };
  /** For pages: also measured with the page cache defeated, to show what rendering costs. */
  page?: boolean;
  /** What the requests are, when the label does not say it (for the metric's description). */
  note?: string;
}

interface LoadResult {
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  non2xx: number;
  timeouts: number;
  requests: number;
  /** CPU time of the app process per request, when it is one process (the figure a loaded machine leaves fair). */
  serverCpuMsPerRequest?: number;
  /** CPU time of the database's PostgreSQL backends per request, when the server runs on this machine. */
  databaseCpuMsPerRequest?: number;
}

/** Rounds of one target against the ceiling, taken in turns, and their medians. */
interface Measured {
  ours: LoadResult;
  baseline: LoadResult;
  rounds: { ours: LoadResult[]; baseline: LoadResult[] };
  render?: LoadResult;
  /** The warm-up's own rate, requests a second: what a process just started manages. */
  warmUpRequestsPerSecond: number;
}

export default {
  name: 'http',
  description: 'public pages and the verification API under autocannon, on PostgreSQL',
  async run(log) {
    const database = await createThrowawayDatabase();
    try {
      log(`preparing the demo university and its badges on a new database on ${benchPostgresUrl}…`);
      const facts = await prepareFixture(database.url);
      const targets = targetsFor(facts);
      const counts = PROCESSES > 1 ? [PROCESSES, 1] : [1];
      let caching: Record<string, unknown> = {};
      const results = await measureServed(database.url, targets, counts, log, async (base) => {
        caching = await checkCaching(base, facts);
        log(`caching: ${JSON.stringify(caching)}`);
      });

      const verifyTarget = targets.find((target) => target.key === 'http_verify')!;
      const warmServer = await startServe({
        ...SETTINGS,
        DATABASE_URL: database.url,
        STACKABLE_PROCESSES: '1',
      });
      let warm: Measured;
      try {
        warm = await measure(`http://127.0.0.1:${warmServer.port}`, verifyTarget, {
          pid: warmServer.child.pid,
        });
        log(
          `1 process, ${verifyTarget.label}, signatures remembered: ${summary(warm.ours)} ` +
            `(GET /healthz: ${summary(warm.baseline)})`,
        );
      } finally {
        await stopServe(warmServer.child);
      }

      const metrics = targetMetrics(targets, results, counts, facts.totalBadges);
      const single = results[1]!;
      metrics.http_verify_one_process = oneProcessMetric(
        single.http_verify!,
        `${verifyTarget.label} served by one app process, every signature checked (STACKABLE_REMEMBERED_SIGNATURES=0)`,
        facts.totalBadges,
      );
      metrics.http_verify_one_process_warm = oneProcessMetric(
        warm,
        `${verifyTarget.label} served by one app process with the default memory of valid signatures: each of the ` +
          `${facts.credentials.length} badges sent is checked in full once, then by its remembered signature ` +
          '(status, dates and the register are still read on every request)',
        facts.totalBadges,
      );

      let grownDetails: Record<string, unknown> = {};
      if (TOTAL_BADGES > facts.totalBadges) {
        log(`growing the database to ${TOTAL_BADGES} issued badges with filler copied from the real ones…`);
        const grown = await growFixture(database.url);
        const bigTargets = grownTargetsFor(grown);
        let checks: Record<string, unknown> = {};
        const bigResults = await measureServed(database.url, bigTargets, counts, log, async (base) => {
          checks = await checkGrown(base, facts, grown);
          log(`checks on the grown database: ${JSON.stringify(checks)}`);
        });
        Object.assign(metrics, targetMetrics(bigTargets, bigResults, counts, grown.totalBadges));
        grownDetails = {
          grownTotalBadges: grown.totalBadges,
          grownStatusLists: grown.statusListIds.length,
          grownBadgeSample: grown.badgeIds.length,
          grownChecks: checks,
          grownByProcessCount: bigResults,
        };
      }
      return {
        metrics,
        details: {
          verifyWarm: warm,
          totalBadges: facts.totalBadges,
          secondsPerRound: SECONDS,
          rounds: ROUNDS,
          connections: CONNECTIONS,
          badges: facts.badgeIds.length,
          caching,
          byProcessCount: results,
          ...grownDetails,
        },
      };
    } finally {
      if (KEEP_DATABASE) log(`BENCH_KEEP_DATABASE: kept ${database.url}`);
      else await database.drop().catch(() => undefined);
    }
  },
} satisfies BenchDefinition;

/** Serves the database with each process count in turn and measures every target on it. */
async function measureServed(
  databaseUrl: string,
  targets: Target[],
  counts: number[],
  log: (line: string) => void,
  checkFirst: (base: string) => Promise<void>,
): Promise<Record<number, Record<string, Measured>>> {
  const results: Record<number, Record<string, Measured>> = {};
  for (const processes of counts) {
    const server = await startServe({
      ...SETTINGS,
      DATABASE_URL: databaseUrl,
      STACKABLE_PROCESSES: String(processes),
      STACKABLE_REMEMBERED_SIGNATURES: '0',
    });
    log(`serving with ${processes} app process${processes === 1 ? '' : 'es'} on port ${server.port}`);
    try {
      const base = `http://127.0.0.1:${server.port}`;
      if (processes === counts[0]) await checkFirst(base);
      results[processes] = {};
      for (const target of targets) {
        const measured = await measure(base, target, {
          render: processes === counts[0],
          pid: processes === 1 ? server.child.pid : undefined,
          database: new URL(databaseUrl).pathname.slice(1),
        });
        results[processes]![target.key] = measured;
        log(
          `${processes} process${processes === 1 ? '' : 'es'}, ${target.label}: ${summary(measured.ours)} ` +
            `(GET /healthz: ${summary(measured.baseline)})` +
            (measured.render ? `; rendered every time: ${summary(measured.render)}` : ''),
        );
      }
    } finally {
      await stopServe(server.child);
    }
  }
  return results;
}

/** One metric a target: the headline process count's figures, with the one-process figure in its description. */
function targetMetrics(
  targets: Target[],
  results: Record<number, Record<string, Measured>>,
  counts: number[],
  totalBadges: number,
): Record<string, Metric> {
  const headline = results[counts[0]!]!;
  const single = results[1]!;
  const metrics: Record<string, Metric> = {};
  for (const target of targets) {
    const { ours, baseline, rounds, render } = headline[target.key]!;
    const alone = single[target.key]!.ours;
    metrics[target.key] = metric({
      unit: 'requests/s',
      ours: ours.requestsPerSecond,
      baseline: baseline.requestsPerSecond,
      better: 'higher',
      description:
        `${target.label} on PostgreSQL with ${totalBadges} issued badges and ${counts[0]} app ` +
        `process${counts[0] === 1 ? '' : 'es'} (STACKABLE_PROCESSES), autocannon with ${CONNECTIONS} connections ` +
        `on the same machine; median of ${ROUNDS} rounds of ${SECONDS} s after ${WARM_UP_SECONDS} s of warm-up; p99 ` +
        `${ours.latencyMs.p99} ms, errors ` +
        `${failures(rounds.ours)}. ` +
        (target.note ? `${target.note}. ` : '') +
        (counts[0] === 1 ? '' : `One process: ${summary(alone)}. `) +
        (render
          ? `Served as to anonymous visitors (page cache); rendered every time: ${summary(render)}. `
          : '') +
        'Baseline: GET /healthz on the same server, in turns with the target (the ceiling of server and load generator).',
      rounds: {
        ours: rounds.ours.map((round) => round.requestsPerSecond),
        baseline: rounds.baseline.map((round) => round.requestsPerSecond),
      },
      latencyMs: { ours: percentiles(ours), baseline: percentiles(baseline) },
      ...cpuPerRequest(single[target.key]!.rounds),
    });
  }
  return metrics;
}

/**
 * The CPU a request costs the app (one process) and PostgreSQL together, median of the rounds: what a loaded machine
 * leaves fair, where requests a second only say how much of the cores the load generator left over.
 */
function cpuPerRequest(rounds: Measured['rounds']): Pick<Metric, 'cpuTime'> | Record<string, never> {
  const cpuOf = (round: LoadResult) =>
    round.serverCpuMsPerRequest === undefined || round.databaseCpuMsPerRequest === undefined
      ? undefined
      : round.serverCpuMsPerRequest + round.databaseCpuMsPerRequest;
  const ours = rounds.ours.map(cpuOf);
  const baseline = rounds.baseline.map(cpuOf);
  if ([...ours, ...baseline].some((value) => value === undefined)) return {};
  return {
    cpuTime: {
      unit: 'app + PostgreSQL CPU ms a request (one app process)',
      ours: median(ours as number[]),
      baseline: median(baseline as number[]),
    },
  };
}

function oneProcessMetric(measured: Measured, what: string, totalBadges: number): Metric {
  const { ours, baseline, rounds } = measured;
  return metric({
    unit: 'requests/s',
    ours: ours.requestsPerSecond,
    baseline: baseline.requestsPerSecond,
    better: 'higher',
    description:
      `${what}, on PostgreSQL with ${totalBadges} issued badges, autocannon with ${CONNECTIONS} connections on the ` +
      `same machine; median of ${ROUNDS} rounds of ${SECONDS} s after ${WARM_UP_SECONDS} s of warm-up (during ` +
      `which it served ${measured.warmUpRequestsPerSecond} requests/s); p99 ${ours.latencyMs.p99} ms, errors ` +
      `${failures(rounds.ours)}. Baseline: GET /healthz on the same server, in turns with the target.`,
    rounds: {
      ours: rounds.ours.map((round) => round.requestsPerSecond),
      baseline: rounds.baseline.map((round) => round.requestsPerSecond),
    },
    latencyMs: { ours: percentiles(ours), baseline: percentiles(baseline) },
    ...(ours.serverCpuMsPerRequest !== undefined
      ? {
          cpuTime: {
            unit: 'app CPU ms a request',
            ours: median(rounds.ours.map((round) => round.serverCpuMsPerRequest ?? 0)),
            baseline: median(rounds.baseline.map((round) => round.serverCpuMsPerRequest ?? 0)),
          },
        }
      : {}),
  });
}

function targetsFor(facts: HttpBenchFacts): Target[] {
  return [
    {
      key: 'http_catalog',
      label: 'GET /catalog',
      method: 'GET',
      page: true,
      request: () => ({ path: '/catalog' }),
    },
    {
      key: 'http_program',
      label: 'GET /catalog/<slug>',
      method: 'GET',
      page: true,
      request: (n) => ({ path: `/catalog/${facts.slugs[n % facts.slugs.length]}` }),
    },
    {
      key: 'http_badge',
      label: 'GET /badges/<id>',
      method: 'GET',
      page: true,
      request: (n) => ({ path: `/badges/${facts.badgeIds[n % facts.badgeIds.length]}` }),
    },
    {
      key: 'http_verify',
      label: 'POST /credentials/verify',
      method: 'POST',
      request: (n) => ({
        path: '/credentials/verify',
        body: JSON.stringify({ verifiableCredential: facts.credentials[n % facts.credentials.length] }),
      }),
    },
  ];
}

/** What is asked of the grown database: badges spread over all of them, and every status list. */
function grownTargetsFor(grown: GrownFacts): Target[] {
  const badge = (n: number) => grown.badgeIds[n % grown.badgeIds.length];
  return [
    {
      key: 'http_badge_1m',
      label: 'GET /badges/<id>',
      method: 'GET',
      page: true,
      note:
        `each of ${grown.badgeIds.length} shared badges spread evenly over all in turn (filler ones signed again, ` +
        'as the page verifies its badge; more than a process keeps rendered, so nearly every page is rendered)',
      request: (n) => ({ path: `/badges/${badge(n)}` }),
    },
    {
      key: 'http_credential_1m',
      label: 'GET /credentials/<id>',
      method: 'GET',
      note: `the same ${grown.badgeIds.length} badges' credentials in turn`,
      request: (n) => ({ path: `/credentials/${badge(n)}` }),
    },
    {
      key: 'http_status_list_1m',
      label: 'GET /credentials/status/<id>',
      method: 'GET',
      note: `each of the ${grown.statusListIds.length} status lists in turn`,
      request: (n) => ({
        path: `/credentials/status/${grown.statusListIds[n % grown.statusListIds.length]}`,
      }),
    },
  ];
}

const ceiling: Target = {
  key: 'ceiling',
  label: 'GET /healthz',
  method: 'GET',
  request: () => ({ path: '/healthz' }),
};

/** A warm-up, then rounds of the ceiling and the target in turns, so both see the same machine load. */
async function measure(
  base: string,
  target: Target,
  { render = false, pid, database }: { render?: boolean; pid?: number; database?: string },
): Promise<Measured> {
  const warmUp = await load(base, target, WARM_UP_SECONDS);
  const rounds: Measured['rounds'] = { ours: [], baseline: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    rounds.baseline.push(await withServerCpu(pid, database, () => load(base, ceiling, SECONDS)));
    rounds.ours.push(await withServerCpu(pid, database, () => load(base, target, SECONDS)));
  }
  const measured: Measured = {
    ours: medianOf(rounds.ours),
    baseline: medianOf(rounds.baseline),
    rounds,
    warmUpRequestsPerSecond: warmUp.requestsPerSecond,
  };
  if (render && target.page) measured.render = await load(base, rendered(target), SECONDS);
  return measured;
}

/**
 * Adds the app process's CPU milliseconds per request (Linux: /proc), when the app is that one process, and the
 * database backends' when the database is named and its server runs on this machine.
 */
async function withServerCpu(
  pid: number | undefined,
  database: string | undefined,
  run: () => Promise<LoadResult>,
): Promise<LoadResult> {
  const appBefore = pid === undefined ? undefined : processCpuSeconds(pid);
  const databaseBefore = database === undefined ? undefined : await databaseCpu(database);
  const result = await run();
  const appAfter = pid === undefined ? undefined : processCpuSeconds(pid);
  const databaseAfter = database === undefined ? undefined : await databaseCpu(database);
  if (result.requests === 0) return result;
  const perRequest = (seconds: number) => Math.round((seconds * 1e6) / result.requests) / 1000;
  return {
    ...result,
    ...(appBefore !== undefined && appAfter !== undefined
      ? { serverCpuMsPerRequest: perRequest(appAfter - appBefore) }
      : {}),
    ...(databaseBefore && databaseAfter
      ? { databaseCpuMsPerRequest: perRequest(cpuBetween(databaseBefore, databaseAfter)) }
      : {}),
  };
}

/** The round with the median throughput, its errors counted over all rounds. */
function medianOf(rounds: LoadResult[]): LoadResult {
  const middle = median(rounds.map((round) => round.requestsPerSecond));
  const closest = [...rounds].sort(
    (a, b) => Math.abs(a.requestsPerSecond - middle) - Math.abs(b.requestsPerSecond - middle),
  )[0]!;
  return {
    ...closest,
    requestsPerSecond: Math.round(middle),
    errors: rounds.reduce((sum, round) => sum + round.errors, 0),
    non2xx: rounds.reduce((sum, round) => sum + round.non2xx, 0),
    timeouts: rounds.reduce((sum, round) => sum + round.timeouts, 0),
  };
}

const failures = (rounds: LoadResult[]) =>
  rounds.reduce((sum, round) => sum + round.errors + round.non2xx + round.timeouts, 0);

const summary = (result: LoadResult) =>
  `${result.requestsPerSecond} req/s, p99 ${result.latencyMs.p99} ms, ` +
  `${result.errors + result.non2xx + result.timeouts} errors` +
  (result.serverCpuMsPerRequest === undefined
    ? ''
    : `, ${result.serverCpuMsPerRequest} ms app CPU a request`) +
  (result.databaseCpuMsPerRequest === undefined
    ? ''
    : `, ${result.databaseCpuMsPerRequest} ms PostgreSQL CPU a request`);

const percentiles = ({ latencyMs: { p50, p90, p99 } }: LoadResult) => ({ p50, p90, p99 });

/** The same page with a query string no other request has, so the page cache never has it. */
function rendered(target: Target): Target {
  return {
    ...target,
    key: `${target.key}_render`,
    request: (n) => {
      const { path } = target.request(n);
      return { path: `${path}${path.includes('?') ? '&' : '?'}render=${n}` };
    },
  };
}

/** Where each target's next request takes up its sequence, by key. */
const nextRequest = new Map<string, number>();

/** Runs autocannon against one target; every request comes from its own client address. */
async function load(base: string, target: Target, seconds: number): Promise<LoadResult> {
  // Each round goes on where the last left off: started again at the first badge, a round would find the pages the
  // previous one left in the page cache whenever it asked for fewer than the cache holds.
  let n = nextRequest.get(target.key) ?? 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: target.method,
        setupRequest: (request) => {
          const next = target.request(n);
          n += 1;
          return {
            ...request,
            path: next.path,
            headers: {
              ...request.headers,
              'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
              ...(next.body ? { 'content-type': 'application/json' } : {}),
            },
            ...(next.body ? { body: next.body } : {}),
          };
        },
      },
    ],
  });
  nextRequest.set(target.key, n);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    errors: result.errors,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
    requests: result.requests.total,
  };
}

/**
 * Whether the public pages would cache: 200 with an ETag and a public Cache-Control for an anonymous
 * visitor, 304 without a body when the ETag comes back; the verification API is never stored publicly.
 * A wrong answer fails the benchmark.
 */
async function checkCaching(base: string, facts: HttpBenchFacts) {
  const pages = ['/catalog', `/catalog/${facts.slugs[0]}`, `/badges/${facts.badgeIds[0]}`];
  const report: Record<string, unknown> = {};
  for (const path of pages) {
    const first = await fetch(`${base}${path}`);
    await first.text();
    const etag = first.headers.get('etag');
    const cacheControl = first.headers.get('cache-control') ?? '';
    if (
      first.status !== 200 ||
      !etag ||
      !/\bpublic\b/.test(cacheControl) ||
      !/max-age=\d+/.test(cacheControl)
    ) {
      throw new Error(
        `${path}: expected 200 with an ETag and public caching, got ${first.status} ${etag} "${cacheControl}"`,
      );
    }
    const again = await fetch(`${base}${path}`, { headers: { 'if-none-match': etag } });
    const body = await again.text();
    if (again.status !== 304 || body !== '')
      throw new Error(`${path}: If-None-Match gave ${again.status}, not 304`);
    report[path] = { etag, cacheControl, revalidated: 304 };
  }
  const verify = await fetch(`${base}/credentials/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verifiableCredential: facts.credentials[0] }),
  });
  const verdict = (await verify.json()) as { verified?: boolean };
  const verifyCache = verify.headers.get('cache-control') ?? '';
  if (verify.status !== 200 || verdict.verified !== true) {
    throw new Error(
      `POST /credentials/verify did not verify an issued badge: ${verify.status} ${JSON.stringify(verdict)}`,
    );
  }
  if (/\bpublic\b/.test(verifyCache))
    throw new Error(`POST /credentials/verify is publicly cacheable: ${verifyCache}`);
  report['POST /credentials/verify'] = { verified: true, cacheControl: verifyCache || '(none)' };
  return report;
}

/**
 * The grown database answers as the product should: every status list is served signed, a real badge still
 * verifies (its list was re-signed when the filler's revocations moved its version), a revoked filler badge's bit
 * is set in its served list, and a filler badge's credential is served. A wrong answer fails the benchmark.
 */
async function checkGrown(base: string, facts: HttpBenchFacts, grown: GrownFacts) {
  for (const id of grown.statusListIds) {
    const response = await fetch(`${base}/credentials/status/${id}`);
    const list = (await response.json()) as { type?: string[]; proof?: unknown };
    if (response.status !== 200 || !list.type?.includes('BitstringStatusListCredential') || !list.proof)
      throw new Error(`status list ${id}: ${response.status}, not a signed status list`);
  }
  const filler = await fetch(`${base}/credentials/${grown.signedFiller}`);
  if (filler.status !== 200) throw new Error(`a sampled badge's credential: ${filler.status}`);
  const sampled = await filler.json();
  for (const credential of [facts.credentials[facts.credentials.length - 1], sampled]) {
    const verify = await fetch(`${base}/credentials/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verifiableCredential: credential }),
    });
    const verdict = (await verify.json()) as { verified?: boolean };
    if (verify.status !== 200 || verdict.verified !== true)
      throw new Error(`a badge does not verify on the grown database: ${JSON.stringify(verdict)}`);
  }
  const { revoked } = grown;
  const revokedList = await fetch(`${base}/credentials/status/${revoked.listId}`);
  const encoded = ((await revokedList.json()) as { credentialSubject: { encodedList: string } })
    .credentialSubject.encodedList;
  if (!getBit(decodeList(encoded), revoked.index))
    throw new Error(
      `the revoked filler entry ${revoked.listId}#${revoked.index} is not set in its served list`,
    );
  return { statusLists: grown.statusListIds.length, realAndSampledBadgesVerify: true, revokedBitSet: true };
}

/** Runs bench/support/http-fixture.ts on the database and returns the facts it prints. */
function prepareFixture(databaseUrl: string): Promise<HttpBenchFacts> {
  return runScript<HttpBenchFacts>(FIXTURE, 'FACTS', databaseUrl, 'preparing the data');
}

/** Runs bench/support/http-grow.ts on the database and returns what it prints. */
function growFixture(databaseUrl: string): Promise<GrownFacts> {
  return runScript<GrownFacts>(GROW, 'GROWN', databaseUrl, 'growing the data');
}

/** Runs a support script with the benchmark's settings and reads the one `<label> {json}` line it prints. */
async function runScript<T>(script: string, label: string, databaseUrl: string, what: string): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...SETTINGS, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  let facts: T | undefined;
  lines.on('line', (line) => {
    if (line.startsWith(`${label} `)) facts = JSON.parse(line.slice(label.length + 1)) as T;
  });
  const [code] = await new Promise<[number | null]>((resolve) => child.once('exit', (c) => resolve([c])));
  if (code !== 0 || !facts) throw new Error(`${what} failed (status ${code})`);
  return facts;
}
