/** Shared helpers for the programs module's tests: demo people as actors, and a complete proposal form. */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Actor } from '../../src/platform/actor.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { AppError, type ErrorCode } from '../../src/platform/errors.ts';
import type { FormValues } from '../../src/programs/program-form.ts';
import type { UploadedFile } from '../../src/programs/proposal-files.ts';
import { startTestApp, type TestApp } from './test-app.ts';

export const demo = {
  lead: 'lead@cascaderidge.example',
  lead2: 'lead2@cascaderidge.example',
  approver: 'approver@cascaderidge.example',
  credentials: 'credentials@cascaderidge.example',
  admin: 'admin@cascaderidge.example',
  learner: 'learner@cascaderidge.example',
} as const;

export async function actorOf(app: TestApp, email: string): Promise<Actor> {
  const user = (await app.services.accounts.listUsers(email)).find((u) => u.email === email);
  assert.ok(user, `no demo account ${email}`);
  return { id: user.id, name: user.name, email: user.email, roles: user.roles };
}

let counter = 0;

/** A proposal form that passes every check; each call gets its own title and slug. */
export function proposalValues(overrides: FormValues = {}): FormValues {
  counter += 1;
  return {
    title: `Community Radio Storytelling ${counter}`,
    summary: 'Produce short audio stories with local organisations and put them on air.',
    description: 'Learners plan, record and edit audio features with a community partner.',
    department: 'COMM',
    level: 'undergraduate',
    // COMM 241 and COMM 342 carry 4 credits each in the demo catalog: the declared credits must agree.
    credits_min: '8',
    credits_max: '',
    credit_type: 'credit',
    courses: 'COMM 241\ncomm 342',
    min_grade: 'C-',
    outcomes: 'Plan an audio story with a partner.\nRecord and edit clean field audio.',
    skills: 'Audio editing | ESCO | http://data.europa.eu/esco/skill/example | S1\nInterviewing',
    fee: '10.00',
    validity_years: '',
    enrolment_paths: ['new', 'current'],
    contacts: 'Daniel Okafor | lead@cascaderidge.example | Program lead',
    delivery_mode: 'hybrid',
    audience: 'Communication students and community volunteers.',
    rationale: 'Partner stations need trained volunteers, and the department teaches the craft already.',
    assessment_plan: 'Each learner produces an aired story, marked with a shared rubric.',
    market_analysis: 'Local stations ask for trained volunteers.',
    financial_model: 'Runs on existing course sections; the fee covers badge costs.',
    marketing_plan: 'Announced through partner stations and the campus newsletter.',
    ...overrides,
  };
}

export const syllabus = (content = '%PDF-1.4 a short syllabus'): UploadedFile => ({
  field: 'syllabus',
  filename: 'syllabus.pdf',
  content: Buffer.from(content),
  truncated: false,
});

export const mou = (): UploadedFile => ({
  field: 'mou',
  filename: 'memorandum.docx',
  content: Buffer.from('PK a memorandum of understanding'),
  truncated: false,
});

/** Asserts that `work` fails with an AppError of `code` whose message matches `message`. */
export async function assertRefused(work: Promise<unknown>, code: ErrorCode, message?: RegExp) {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, code, error.publicMessage);
    if (message) assert.match(error.publicMessage, message);
    return true;
  });
}

/** Mail queued to one address, newest first. */
export function mailTo(app: TestApp, email: string) {
  return app.services.notifications.list({ to: email, limit: 200 });
}

/**
 * The demo university in Vancouver's time zone, its clock at `at`, started before the enclosing describe's
 * tests and closed after them: for what must count days where the institution is, not in UTC.
 */
export function useVancouverApp(at: string): { app: () => TestApp; clock: ReturnType<typeof fixedClock> } {
  const clock = fixedClock(at);
  let app: TestApp | undefined;
  before(async () => {
    app = await startTestApp({
      seed: true,
      runJobs: false,
      clock,
      env: { STACKABLE_TIME_ZONE: 'America/Vancouver' },
    });
  });
  after(() => app?.close());
  return {
    app: () => {
      assert.ok(app, 'the app is read before its `before` hook has run');
      return app;
    },
    clock,
  };
}
