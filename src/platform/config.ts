import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ensurePrivateFolder } from './private-folder.ts';

/** Where the data lives: an embedded PGlite folder, or a PostgreSQL server. */
export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string }
  /** `poolSize`: connections each process keeps for its requests and work (`DATABASE_POOL_SIZE`, default 20). */
  | { kind: 'postgres'; url: string; poolSize?: number };

/** The one configuration object, validated once at start and frozen. */
export interface Config {
  /** `PORT`: TCP port for HTTP (default 3000). */
  readonly port: number;
  /**
   * `HOST`: interface to listen on. The default, 127.0.0.1, keeps a fresh install off the network; containers and
   * servers behind a proxy on another machine set `HOST=0.0.0.0`.
   */
  readonly host: string;
  /**
   * `STACKABLE_TRUSTED_PROXIES`: comma-separated addresses or CIDR ranges of the reverse proxies in front of the
   * app. Only a request arriving from one of them may name the client through `X-Forwarded-For`; empty (the
   * default) means the header is ignored and the client is the socket's address.
   */
  readonly trustedProxies: readonly string[];
  /** `PUBLIC_URL`: the address people use to reach the site; badge links and DIDs derive from it. */
  readonly publicUrl: string;
  /** `NODE_ENV`: development, test or production. */
  readonly env: 'development' | 'test' | 'production';
  /** `STACKABLE_DATA_DIR`: folder for the embedded database and generated secrets (default ./data). */
  readonly dataDir: string;
  /** `DATABASE_URL` when set (postgres://…); otherwise PGlite inside the data folder. */
  readonly database: DatabaseTarget;
  /** `STACKABLE_SECRET`: at least 32 characters; signs sessions and tokens, encrypts issuer keys. */
  readonly secret: string;
  /** `SMTP_URL`: smtp(s)://user:pass@host:port for outgoing mail; without it mail is kept for /dev/mail. */
  readonly smtpUrl: string | undefined;
  /** `MAIL_FROM`: the From address of outgoing mail. */
  readonly mailFrom: string;
  /** `STACKABLE_DID_METHOD`: web or key; defaults to web when PUBLIC_URL is https, key otherwise. */
  readonly didMethod: 'web' | 'key';
  /** `STACKABLE_ALLOW_NETWORK`: let the verifier resolve other issuers' did:web over HTTPS. */
  readonly allowNetwork: boolean;
  /**
   * `STACKABLE_FETCH_ALLOW_HOSTS`: hosts (`name` or `name:port`, comma-separated) the verifier and single sign-on
   * may fetch from even though they resolve to private or loopback addresses, such as an on-premise issuer or a
   * campus identity provider. Empty by default: every other site must resolve to public addresses only.
   */
  readonly fetchAllowHosts: readonly string[];
  /** `STACKABLE_SEED_DEMO`: seed the demo university into an empty database (default true outside production). */
  readonly seedDemo: boolean;
  /** `LOG_LEVEL`: pino level (default info; silent in tests). */
  readonly logLevel: string;
  /** `STACKABLE_TIME_ZONE`: the institution's IANA time zone, e.g. America/Vancouver (default UTC). */
  readonly timeZone: string;
  /** `STACKABLE_REMINDERS_CRON`: when the daily pilot reminders go out, a cron in the time zone (default 07:00). */
  readonly remindersCron: string;
  /**
   * `STACKABLE_PROCESSES`: how many app processes `serve` runs on this machine, sharing its port (default 1;
   * `auto` is one per core). Above 1 needs DATABASE_URL: the embedded database belongs to one process.
   */
  readonly processes: number;
  /**
   * `STACKABLE_STALL_AFTER_MS`: how long a tracking list's worker may stay silent (no heartbeat) before the list
   * counts as stalled and is taken up again (default 30000, half a minute). Its worker beats six times as often.
   */
  readonly stallAfterMs: number;
  /** `STACKABLE_STALL_CHECK_MS`: how often each working process looks for stalled tracking lists (default 10000). */
  readonly stallCheckMs: number;
  /**
   * `STACKABLE_REMEMBERED_SIGNATURES`: how many valid signatures of our own badges each process remembers by the
   * badge's exact text, so a badge checked again skips its signature check (default 10000; 0 turns it off).
   * Status, dates and the register are read on every verification whatever this says.
   */
  readonly rememberedSignatures: number;
}

/** A configuration problem, reported as one line naming the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}

const booleanText = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => ['true', '1', 'yes'].includes(v));

/**
 * Connections per process for requests and work (the job queue has four more of its own). With ten, pages waited for
 * a connection while a tracking list ran, its claim mails each holding one through their commit (p99 of that wait
 * 10-30 ms, up to 120 ms, on a machine whose disk flushes took 3-5 ms); twenty left them none to wait for.
 */
export const DEFAULT_POOL_SIZE = 20;

const envSchema = z.object({
  PORT: z.coerce
    .number()
    .int('must be a whole number')
    .min(0)
    .max(65535, 'must be at most 65535')
    .default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  STACKABLE_TRUSTED_PROXIES: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .refine(
      (entries) => entries.every(isAddressOrRange),
      'must be IP addresses or CIDR ranges separated by commas, such as 10.0.0.5,192.168.1.0/24',
    )
    .default([]),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://badges.example.edu' })
    .optional(),
  NODE_ENV: z
    .enum(['development', 'test', 'production'], { error: 'must be development, test or production' })
    .default('development'),
  STACKABLE_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce
    .number()
    .int('must be a whole number')
    .min(2, 'must be at least 2')
    .max(500, 'must be at most 500')
    .default(DEFAULT_POOL_SIZE),
  STACKABLE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/.+/, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).optional(),
  STACKABLE_DID_METHOD: z.enum(['web', 'key'], { error: 'must be web or key' }).optional(),
  STACKABLE_ALLOW_NETWORK: booleanText.optional(),
  STACKABLE_FETCH_ALLOW_HOSTS: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim().toLowerCase())
        .filter((part) => part !== ''),
    )
    .refine(
      (entries) => entries.every((entry) => /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/.test(entry)),
      'must be host names or host:port pairs separated by commas, such as issuer.campus.local,10.0.0.7:8443',
    )
    .default([]),
  STACKABLE_SEED_DEMO: booleanText.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  STACKABLE_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as America/Vancouver')
    .default('UTC'),
  STACKABLE_REMINDERS_CRON: z
    .string()
    .trim()
    .regex(/^(\S+\s+){4}\S+$/, 'must be a five-field cron expression such as "0 7 * * *"')
    .regex(/^[\d*,/\-\sA-Za-z]+$/, 'must use only digits, names, * , / and - in its fields')
    .default('0 7 * * *'),
  STACKABLE_PROCESSES: z
    .union([
      z.literal('auto'),
      z.coerce.number().int('must be a whole number or auto').min(1, 'must be at least 1').max(64),
    ])
    .default(1),
  STACKABLE_STALL_AFTER_MS: z.coerce
    .number()
    .int('must be a whole number of milliseconds')
    .min(1000, 'must be at least 1000 (one second)')
    .max(3_600_000, 'must be at most 3600000 (an hour)')
    .default(30_000),
  STACKABLE_STALL_CHECK_MS: z.coerce
    .number()
    .int('must be a whole number of milliseconds')
    .min(100, 'must be at least 100')
    .max(600_000, 'must be at most 600000 (ten minutes)')
    .default(10_000),
  STACKABLE_REMEMBERED_SIGNATURES: z.coerce
    .number()
    .int('must be a whole number')
    .min(0, 'must be 0 (off) or more')
    .max(1_000_000, 'must be at most 1000000')
    .default(10_000),
});

/** An IPv4/IPv6 address, or one followed by a prefix length that fits it (10.0.0.0/8, fd00::/8). */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

/** Reads, validates and freezes the configuration. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.keys(envSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0]), issue.message);
  }
  const e = parsed.data;
  const port = e.PORT;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const dataDir = resolve(e.STACKABLE_DATA_DIR);
  const database: DatabaseTarget = e.DATABASE_URL
    ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
    : { kind: 'pglite', dataDir: join(dataDir, 'pglite') };
  const processes = e.STACKABLE_PROCESSES === 'auto' ? availableParallelism() : e.STACKABLE_PROCESSES;
  if (processes > 1 && database.kind === 'pglite') {
    throw new ConfigError(
      'STACKABLE_PROCESSES',
      'above 1 needs DATABASE_URL (the embedded database can be opened by one process only)',
    );
  }
  const secret = e.STACKABLE_SECRET ?? secretFromDataDir(e.NODE_ENV, database, dataDir);
  const isHttps = publicUrl.startsWith('https://');
  return Object.freeze({
    port,
    host: e.HOST,
    trustedProxies: Object.freeze(e.STACKABLE_TRUSTED_PROXIES),
    publicUrl,
    env: e.NODE_ENV,
    dataDir,
    database,
    secret,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? `Stackable <no-reply@${new URL(publicUrl).hostname}>`,
    didMethod: e.STACKABLE_DID_METHOD ?? (isHttps ? 'web' : 'key'),
    allowNetwork: e.STACKABLE_ALLOW_NETWORK ?? false,
    fetchAllowHosts: Object.freeze(e.STACKABLE_FETCH_ALLOW_HOSTS),
    seedDemo: e.STACKABLE_SEED_DEMO ?? e.NODE_ENV !== 'production',
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    timeZone: e.STACKABLE_TIME_ZONE,
    remindersCron: e.STACKABLE_REMINDERS_CRON,
    processes,
    stallAfterMs: e.STACKABLE_STALL_AFTER_MS,
    stallCheckMs: e.STACKABLE_STALL_CHECK_MS,
    rememberedSignatures: e.STACKABLE_REMEMBERED_SIGNATURES,
  });
}

/**
 * In embedded mode a secret is generated once and kept beside the data, so sessions and encrypted keys survive a
 * restart. Production must be given one explicitly: a generated file would differ between app servers.
 */
function secretFromDataDir(env: Config['env'], database: DatabaseTarget, dataDir: string): string {
  if (env === 'production') throw new ConfigError('STACKABLE_SECRET', 'is required when NODE_ENV=production');
  if (database.kind === 'postgres') {
    throw new ConfigError(
      'STACKABLE_SECRET',
      'is required with DATABASE_URL (every app process must share it)',
    );
  }
  const file = join(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  ensurePrivateFolder(dataDir);
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
