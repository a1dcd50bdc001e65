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
 * The baseline, in the same run against the same server, is the cheapest route the app has (GET /healthz):
 * what this server and load generator can do at all on this machine, so each ratio says how close a
 * page comes to it. Baseline and target take turns, round by round (BENCH_HTTP_ROUNDS of
 * BENCH_HTTP_SECONDS each); the figures are the medians of the rounds.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { benchPostgresUrl, createThrowawayDatabase } from './support/bench-app.ts';
import { type BenchDefinition, type Metric, median, metric } from './support/harness.ts';
import type { HttpBenchFacts } from './support/http-fixture.ts';
import { startServe, stopServe } from './support/serve-process.ts';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const WARM_UP_SECONDS = Number(process.env.BENCH_HTTP_WARM_UP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 16);
const PROCESSES = Number(process.env.BENCH_HTTP_PROCESSES ?? availableParallelism());
const FIXTURE = fileURLToPath(new URL('./support/http-fixture.ts', import.meta.url));

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
}

/** Rounds of one target against the ceiling, taken in turns, and their medians. */
interface Measured {
  ours: LoadResult;
  baseline: LoadResult;
  rounds: { ours: LoadResult[]; baseline: LoadResult[] };
  render?: LoadResult;
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
      const results: Record<number, Record<string, Measured>> = {};
      let caching: Record<string, unknown> = {};
      for (const processes of counts) {
        const server = await startServe({
          ...SETTINGS,
          DATABASE_URL: database.url,
          STACKABLE_PROCESSES: String(processes),
          STACKABLE_REMEMBERED_SIGNATURES: '0',
        });
        log(`serving with ${processes} app process${processes === 1 ? '' : 'es'} on port ${server.port}`);
        try {
          const base = `http://127.0.0.1:${server.port}`;
          if (processes === counts[0]) {
            caching = await checkCaching(base, facts);
            log(`caching: ${JSON.stringify(caching)}`);
          }
          results[processes] = {};
          for (const target of targets) {
            const measured = await measure(base, target, {
              render: processes === counts[0],
              pid: processes === 1 ? server.child.pid : undefined,
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
            `${target.label} on PostgreSQL with ${counts[0]} app process${counts[0] === 1 ? '' : 'es'} ` +
            `(STACKABLE_PROCESSES), autocannon with ${CONNECTIONS} connections on the same machine; median of ` +
            `${ROUNDS} rounds of ${SECONDS} s; p99 ${ours.latencyMs.p99} ms, errors ${failures(rounds.ours)}. ` +
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
        });
      }
      const alone = single.http_verify!;
      metrics.http_verify_one_process = oneProcessMetric(
        alone,
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
        },
      };
    } finally {
      await database.drop().catch(() => undefined);
    }
  },
} satisfies BenchDefinition;

function oneProcessMetric(measured: Measured, what: string, totalBadges: number): Metric {
  const { ours, baseline, rounds } = measured;
  return metric({
    unit: 'requests/s',
    ours: ours.requestsPerSecond,
    baseline: baseline.requestsPerSecond,
    better: 'higher',
    description:
      `${what}, on PostgreSQL with ${totalBadges} issued badges, autocannon with ${CONNECTIONS} connections on the ` +
      `same machine; median of ${ROUNDS} rounds of ${SECONDS} s; p99 ${ours.latencyMs.p99} ms, errors ` +
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
  { render = false, pid }: { render?: boolean; pid?: number },
): Promise<Measured> {
  await load(base, target, WARM_UP_SECONDS);
  const rounds: Measured['rounds'] = { ours: [], baseline: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    rounds.baseline.push(await withServerCpu(pid, () => load(base, ceiling, SECONDS)));
    rounds.ours.push(await withServerCpu(pid, () => load(base, target, SECONDS)));
  }
  const measured: Measured = { ours: medianOf(rounds.ours), baseline: medianOf(rounds.baseline), rounds };
  if (render && target.page) measured.render = await load(base, rendered(target), SECONDS);
  return measured;
}

/** Adds the app process's CPU milliseconds per request (Linux: /proc), when the app is that one process. */
async function withServerCpu(pid: number | undefined, run: () => Promise<LoadResult>): Promise<LoadResult> {
  const cpuSeconds = () => {
    if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  };
  const before = cpuSeconds();
  const result = await run();
  const after = cpuSeconds();
  if (before === undefined || after === undefined || result.requests === 0) return result;
  return { ...result, serverCpuMsPerRequest: Math.round(((after - before) * 1e6) / result.requests) / 1000 };
}

/** Linux's clock ticks per second (USER_HZ), in which /proc gives CPU times. */
const CLOCK_TICKS = 100;

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
    : `, ${result.serverCpuMsPerRequest} ms app CPU a request`);

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

/** Runs autocannon against one target; every request comes from its own client address. */
async function load(base: string, target: Target, seconds: number): Promise<LoadResult> {
  let n = 0;
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

/** Runs bench/support/http-fixture.ts on the database and returns the facts it prints. */
async function prepareFixture(databaseUrl: string): Promise<HttpBenchFacts> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: { ...process.env, ...SETTINGS, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  let facts: HttpBenchFacts | undefined;
  lines.on('line', (line) => {
    if (line.startsWith('FACTS ')) facts = JSON.parse(line.slice('FACTS '.length)) as HttpBenchFacts;
  });
  const [code] = await new Promise<[number | null]>((resolve) => child.once('exit', (c) => resolve([c])));
  if (code !== 0 || !facts) throw new Error(`preparing the data failed (status ${code})`);
  return facts;
}
