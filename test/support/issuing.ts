import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { DEMO_PASSWORD, loadDemoUniversity } from '../../src/demo/demo-data.ts';
import { BrowserSession } from './browser-session.ts';
import type { TestApp } from './test-app.ts';

/** A tracking list's header row, every column. */
export const LIST_HEADER =
  'student_id,email,first_name,last_name,program,completion_date,term,credit_mode,cohort';

/** A tracking list's row for a learner and a program's slug: completed 20 October 2026, in `term`, "Fall cohort". */
export const listRow = (
  who: { studentId: string; email: string; name: string },
  slug: string,
  term = '2026 Fall',
) => {
  const [first, last] = who.name.split(' ');
  return `${who.studentId},${who.email},${first},${last},${slug},2026-10-20,${term},,Fall cohort`;
};

/** A tracking list file: the header, then the rows. */
export const listFile = (...rows: string[]) => [LIST_HEADER, ...rows].join('\n');

/** The demo's staff accounts, by role. */
export const staff = {
  credentials: 'credentials@cascaderidge.example',
  registrar: 'registrar@cascaderidge.example',
  bursar: 'bursar@cascaderidge.example',
  admin: 'admin@cascaderidge.example',
  learner: 'learner@cascaderidge.example',
} as const;

/** One signed-in browser per person, kept for the test file. */
export function sessions(app: () => TestApp) {
  const open = new Map<string, BrowserSession>();
  return async (email: string): Promise<BrowserSession> => {
    let session = open.get(email);
    if (!session) {
      session = new BrowserSession(app());
      await session.login(email, DEMO_PASSWORD);
      open.set(email, session);
    }
    return session;
  };
}

/**
 * The approved badge requests of the demo learners whose stage is "badge issued" (the demo seed leaves them
 * to the progress module's own seeding, which this calls when nothing is approved yet).
 */
export async function approvedRequests(app: TestApp) {
  if ((await app.services.badgeRequests.listApprovedRequests()).length === 0) {
    await app.database.db
      .transaction()
      .execute((trx) => app.services.badgeRequests.seedDemoRequests(trx, loadDemoUniversity().learners));
  }
  return app.services.badgeRequests.listApprovedRequests();
}

type Counted = 'credentials' | 'fee_charges' | 'issued_awards' | 'mail_outbox' | 'tracking_lists';

/** Rows in the tables issuing writes, to show what a step added (or did not). */
export async function counts(app: TestApp): Promise<Record<Counted, number>> {
  const db = app.database.db;
  const tables: Counted[] = ['credentials', 'fee_charges', 'issued_awards', 'mail_outbox', 'tracking_lists'];
  const result = {} as Record<Counted, number>;
  for (const table of tables) {
    const row = await db.selectFrom(table).select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    result[table] = Number(row.n);
  }
  return result;
}

/** Asserts that each of `tables` gained exactly `n` rows from one count to the next (all shown when one differs). */
export function assertGrewBy(
  before: Record<Counted, number>,
  after: Record<Counted, number>,
  n: number,
  tables: readonly Counted[],
): void {
  const grew = Object.fromEntries(tables.map((table) => [table, after[table] - before[table]]));
  assert.deepEqual(grew, Object.fromEntries(tables.map((table) => [table, n])));
}

/** A tracking list's status, as stored. */
export async function listStatus(app: TestApp, listId: string): Promise<string> {
  const row = await app.database.db
    .selectFrom('tracking_lists')
    .select('status')
    .where('id', '=', listId)
    .executeTakeFirstOrThrow();
  return row.status;
}

/** Posts a CSV through the tracking-list upload form, with the CSRF token in the action URL as the form has it. */
/** A badge's status as the register holds it (active, suspended, revoked). */
export async function credentialStatus(app: TestApp, credentialId: string): Promise<string> {
  const row = await app.database.db
    .selectFrom('credentials')
    .select('status')
    .where('id', '=', credentialId)
    .executeTakeFirstOrThrow();
  return row.status;
}

export async function uploadList(app: TestApp, browser: BrowserSession, fileName: string, content: string) {
  const boundary = `----stackable${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
        'Content-Type: text/csv\r\n\r\n',
    ),
    Buffer.from(content, 'utf8'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const token = encodeURIComponent(await browser.csrfToken());
  return app.http.inject({
    method: 'POST',
    url: `/issuing/tracking-lists?_csrf=${token}`,
    payload,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  });
}

const confirmationIn = (html: string) => /name="confirmation" value="([^"]+)"/.exec(html)?.[1];

/**
 * Issues approved requests as a person does: the summary page the queue's buttons open, then its "Yes". When the
 * page offers no confirmation (a refusal), the POST goes without one, so the answer is the server's refusal.
 */
export async function issueThroughSummary(
  browser: BrowserSession,
  office: string,
  requestIds: readonly string[],
) {
  const query = new URLSearchParams({ office });
  for (const id of requestIds) query.append('requestIds', id);
  const summary = await browser.get(`/issuing/issue/confirm?${query}`);
  const confirmation = confirmationIn(summary.body);
  return browser.postForm('/issuing/issue', {
    office,
    requestIds: [...requestIds],
    ...(confirmation ? { confirmation } : {}),
  });
}

/** Commits a tracking list as a person does, from its confirmation page (or, offered none, without it). */
export async function commitThroughConfirmation(browser: BrowserSession, listId: string) {
  const page = await browser.get(`/issuing/tracking-lists/${listId}/confirm`);
  const confirmation = confirmationIn(page.body);
  return browser.postForm(`/issuing/tracking-lists/${listId}/commit`, confirmation ? { confirmation } : {});
}

/** The list id a successful upload redirected to. */
export function listIdFrom(response: {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}): string {
  const match = /\/issuing\/tracking-lists\/([0-9a-f-]{36})$/.exec(String(response.headers.location ?? ''));
  if (response.statusCode !== 303 || !match?.[1]) {
    throw new Error(`upload not accepted: ${response.statusCode} ${response.body.slice(0, 300)}`);
  }
  return match[1];
}

/** The issuing jobs pg-boss holds for a list. */
export async function jobsFor(app: TestApp, listId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pgboss.job where name = 'tracking-list-issue' and data->>'listId' = ${listId}
  `.execute(app.database.db);
  return Number(rows[0]?.n ?? 0);
}

/** The visible text of a page, tags removed and spaces collapsed, for readable assertions. */
export const textOf = (html: string) =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
