/**
 * http_catalog, http_program, http_badge, http_verify: requests per second, p99 latency and errors of the
 * public pages and the verification API under autocannon, on PostgreSQL, with the app in a process of its
 * own (bench/support/http-server.ts: production settings, demo university, a cohort of issued badges) and
 * autocannon in this one, on the same machine.
 *
 *   GET  /catalog               the catalog page
 *   GET  /catalog/<slug>        each offered program's page in turn
 *   GET  /badges/<id>           each of 2,000 issued badges' public page in turn (it verifies the badge)
 *   POST /credentials/verify    VC-API { verifiableCredential } with each of the 2,000 badges in turn
 *
 * Pages are served as the app serves them to anonymous visitors: from the per-process page cache when a
 * page was rendered in the last 10 seconds (platform/http/public-page-cache.ts). What rendering costs is
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
 * page comes to it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { benchPostgresUrl, createThrowawayDatabase } from './support/bench-app.ts';
import { type BenchDefinition, type Metric, metric } from './support/harness.ts';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const WARM_UP_SECONDS = Number(process.env.BENCH_HTTP_WARM_UP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 16);
const SERVER = fileURLToPath(new URL('./support/http-server.ts', import.meta.url));

interface ServerFacts {
  port: number;
  badgeIds: string[];
  credentials: object[];
  jwts: string[];
  slugs: string[];
}

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
}

export default {
  name: 'http',
  description: 'public pages and the verification API under autocannon, on PostgreSQL',
  async run(log) {
    const database = await createThrowawayDatabase();
    log(`starting the app on a new database on ${benchPostgresUrl} and issuing its badges…`);
    const { child, facts } = await startServer(database.url);
    try {
      const base = `http://127.0.0.1:${facts.port}`;
      const caching = await checkCaching(base, facts);
      log(`caching: ${JSON.stringify(caching)}`);

      const targets: Target[] = [
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
      const ceiling: Target = {
        key: 'ceiling',
        label: 'GET /healthz',
        method: 'GET',
        request: () => ({ path: '/healthz' }),
      };

      const metrics: Record<string, Metric> = {};
      const results: Record<string, { ours: LoadResult; baseline: LoadResult; render?: LoadResult }> = {};
      for (const target of targets) {
        await load(base, target, WARM_UP_SECONDS);
        // The ceiling right before each page, so both see the same machine load.
        const baseline = await load(base, ceiling, SECONDS);
        const ours = await load(base, target, SECONDS);
        results[target.key] = { ours, baseline };
        if (target.page) {
          const render = await load(base, rendered(target), SECONDS);
          results[target.key]!.render = render;
          log(
            `${target.label} rendered every time: ${render.requestsPerSecond} req/s, p99 ${render.latencyMs.p99} ms, ` +
              `${render.errors + render.non2xx + render.timeouts} errors`,
          );
        }
        log(
          `${target.label}: ${ours.requestsPerSecond} req/s, p99 ${ours.latencyMs.p99} ms, ` +
            `${ours.errors + ours.non2xx + ours.timeouts} errors ` +
            `(GET /healthz: ${baseline.requestsPerSecond} req/s, p99 ${baseline.latencyMs.p99} ms)`,
        );
        metrics[target.key] = metric({
          unit: 'requests/s',
          ours: ours.requestsPerSecond,
          baseline: baseline.requestsPerSecond,
          better: 'higher',
          description:
            `${target.label} on PostgreSQL, autocannon with ${CONNECTIONS} connections for ${SECONDS} s ` +
            `on the same machine; p99 ${ours.latencyMs.p99} ms, errors ${ours.errors + ours.non2xx + ours.timeouts}. ` +
            (results[target.key]?.render
              ? `Served as to anonymous visitors (page cache); rendered every time: ${results[target.key]!.render!.requestsPerSecond} req/s. `
              : '') +
            'Baseline: GET /healthz on the same server just before (the ceiling of server and load generator).',
          latencyMs: {
            ours: { p50: ours.latencyMs.p50, p90: ours.latencyMs.p90, p99: ours.latencyMs.p99 },
            baseline: {
              p50: baseline.latencyMs.p50,
              p90: baseline.latencyMs.p90,
              p99: baseline.latencyMs.p99,
            },
          },
        });
      }
      return {
        metrics,
        details: {
          seconds: SECONDS,
          connections: CONNECTIONS,
          badges: facts.badgeIds.length,
          caching,
          results,
        },
      };
    } finally {
      await stopServer(child);
      await database.drop().catch(() => undefined);
    }
  },
} satisfies BenchDefinition;

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
async function checkCaching(base: string, facts: ServerFacts) {
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

async function startServer(databaseUrl: string): Promise<{ child: ChildProcess; facts: ServerFacts }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const facts = await new Promise<ServerFacts>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the app did not start within 5 minutes')), 300_000);
    child.once('exit', (code) => reject(new Error(`the app exited early (status ${code})`)));
    lines.on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice('READY '.length)) as ServerFacts);
    });
  });
  return { child, facts };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
