import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runAdminCommand } from '../src/cli/admin-commands.ts';
import type { Actor } from '../src/platform/actor.ts';
import { createMailer } from '../src/platform/mail/mailer.ts';
import type { Role } from '../src/platform/roles.ts';
import { startSmtp } from './support/backpack.ts';
import { BrowserSession } from './support/browser-session.ts';
import {
  assertNoDemoName,
  completionsCsv,
  coursesCsv,
  department,
  newcomer,
  northwind,
  northwindLogo,
  passwordOf,
  program,
  staff,
  termsCsv,
} from './support/first-day.ts';
import { cookieHeader } from './support/learners.ts';
import { readMessage } from './support/mail.ts';
import { aClientAddress } from './support/sign-up.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';
import { testBackend } from './support/test-database.ts';
import { multipartFile } from './support/uploads.ts';

/**
 * Issue 14's journey at the service and HTTP level: an empty database without the demo becomes Northwind State
 * College and issues its first badge. Pages people would read are checked for demo names on the way.
 */
describe(`the first day at Northwind on ${testBackend}`, () => {
  let app: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  before(async () => {
    smtp = await startSmtp();
    app = await startTestApp({
      seed: false,
      runJobs: false,
      mailer: createMailer(smtp.url, 'Northwind badges <badges@northwind-state.example>'),
    });
  });
  after(async () => {
    await app?.close();
    await smtp?.close();
  });

  /** Sends what is queued for `address` and returns the link matching `path` in the newest message. */
  async function mailedLink(address: string, path: RegExp): Promise<string> {
    for (const mail of (await app.services.notifications.list({ to: address, limit: 20 })).reverse()) {
      if (mail.status !== 'sent') await app.services.notifications.deliver(mail.id);
    }
    for (const message of smtp.received.filter((m) => m.to.includes(address)).reverse()) {
      const text = readMessage(message.raw).parts.get('text/plain') ?? '';
      const found = new RegExp(`https?://[^\\s/]+(${path.source}[^\\s>]*)`).exec(text)?.[1];
      if (found) return found;
    }
    throw new Error(`no message to ${address} links ${path}`);
  }

  async function page(browser: BrowserSession, url: string): Promise<string> {
    const response = await browser.get(url);
    assert.equal(response.statusCode, 200, `${url}: ${response.body.slice(0, 300)}`);
    assertNoDemoName(response.body, url);
    return response.body;
  }

  async function upload(
    browser: BrowserSession,
    url: string,
    field: string,
    name: string,
    type: string,
    content: Buffer,
  ) {
    const { payload, contentType } = multipartFile(field, name, type, content);
    const token = encodeURIComponent(await browser.csrfToken());
    return app.http.inject({
      method: 'POST',
      url: `${url}?_csrf=${token}`,
      payload,
      headers: { 'content-type': contentType, cookie: cookieHeader(browser) },
    });
  }

  /** Chooses a password through an invitation link and signs in. */
  async function accept(path: string, email: string): Promise<BrowserSession> {
    const browser = new BrowserSession(app, aClientAddress());
    await page(browser, path);
    const token = new URL(path, 'http://x').searchParams.get('token')!;
    const set = await browser.postForm('/invitation', {
      token,
      password: passwordOf(email),
      confirm: passwordOf(email),
    });
    assert.equal(set.statusCode, 303, set.body);
    await browser.login(email, passwordOf(email));
    return browser;
  }

  async function actor(email: string): Promise<Actor> {
    const [user] = await app.services.accounts.listUsers(email);
    assert.ok(user);
    return { id: user.id, name: user.name, email: user.email, roles: user.roles as Role[] };
  }

  test('a new installation names no demo institution on its profile form', async () => {
    const fresh = await startTestApp({ seed: false, runJobs: false });
    try {
      const lines: string[] = [];
      const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
      assert.equal(await runAdminCommand(fresh, ['create', '--email', 'ops@fresh.example'], io), 0);
      const path = /(\/invitation\?token=[\w-]+)/.exec(lines.join('\n'))?.[1];
      assert.ok(path, lines.join('\n'));
      const browser = new BrowserSession(fresh);
      const token = new URL(path, 'http://x').searchParams.get('token')!;
      await browser.postForm('/invitation', {
        token,
        password: passwordOf('ops'),
        confirm: passwordOf('ops'),
      });
      await browser.login('ops@fresh.example', passwordOf('ops'));
      const form = await browser.get('/admin/institution');
      assert.equal(form.statusCode, 200);
      assertNoDemoName(form.body, 'the empty institution profile');
    } finally {
      await fresh.close();
    }
  });

  test('from the first administrator to a verified badge that names Northwind with its logo', async () => {
    // The first administrator, from the command line function (with SMTP set, the link is mailed).
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
    const code = await runAdminCommand(
      app,
      ['create', '--email', staff.admin.email, '--name', staff.admin.name],
      io,
    );
    assert.equal(code, 0, lines.join('\n'));
    const admin = await accept(
      await mailedLink(staff.admin.email, /\/invitation\?token=/),
      staff.admin.email,
    );

    // The institution, its logo and default fee.
    await page(admin, '/admin/institution');
    const saved = await admin.postForm('/admin/institution', {
      name: northwind.name,
      shortName: northwind.shortName,
      url: northwind.url,
      email: northwind.email,
      timeZone: northwind.timeZone,
      academicYearStartMonth: '9',
      primaryColour: northwind.primaryColour,
      accentColour: northwind.accentColour,
      defaultFee: northwind.fee,
      currency: 'USD',
    });
    assert.equal(saved.statusCode, 303, saved.body);
    const logo = await upload(
      admin,
      '/admin/institution/logo',
      'file',
      'northwind.png',
      'image/png',
      northwindLogo(),
    );
    assert.equal(logo.statusCode, 303, /<p>The file[^<]*/.exec(logo.body)?.[0]);

    // The academic structure: a department by hand, terms and twenty courses from CSV (previewed, then saved).
    assert.equal((await admin.postForm('/admin/departments', department)).statusCode, 303);
    for (const [kind, csv, count] of [
      ['terms', termsCsv, 3],
      ['courses', coursesCsv, 20],
    ] as const) {
      const preview = await upload(
        admin,
        `/admin/${kind}/import`,
        'file',
        `${kind}.csv`,
        'text/csv',
        Buffer.from(csv),
      );
      assert.match(preview.body, new RegExp(`${count} new, 0 changed, 0 unchanged, 0 not accepted`));
      assertNoDemoName(preview.body, `${kind} preview`);
      const applied = await admin.postForm(`/admin/${kind}/import/apply`, { csv, fileName: `${kind}.csv` });
      assert.equal(applied.statusCode, 303, applied.body);
    }
    const courses = await app.services.structure.courses(await actor(staff.admin.email), { q: 'MAR' });
    assert.equal(courses.total ?? courses.courses.length, 20);

    // People: each invited with a role, each chooses a password from the mailed link.
    const sessions: Partial<Record<'lead' | 'signer' | 'office', BrowserSession>> = {};
    for (const key of ['lead', 'signer', 'office'] as const) {
      const person = staff[key];
      const invited = await admin.postForm('/admin/users', {
        name: person.name,
        email: person.email,
        roles: [person.role],
      });
      assert.equal(invited.statusCode, 303, invited.body);
      sessions[key] = await accept(await mailedLink(person.email, /\/invitation\?token=/), person.email);
    }
    await page(admin, '/admin/users');

    // The lead proposes with two imported courses; the signer signs; the credentials office approves the pilot.
    const [lead, signer, office] = await Promise.all([
      actor(staff.lead.email),
      actor(staff.signer.email),
      actor(staff.office.email),
    ]);
    const { programs } = app.services;
    const refs = await programs.drafting.formReferences();
    assert.equal(refs.defaultFeeCents, 2500, 'the proposal form offers the institution’s fee');
    const programId = await programs.drafting.draftProposal(
      lead,
      {
        title: program.title,
        summary: 'Plan and run the daily work of a busy harbour.',
        description: 'Learners schedule vessels, plan container yards and keep the harbour safe.',
        department: department.code,
        level: 'undergraduate',
        credits_min: '6',
        credits_max: '',
        credit_type: 'non_credit',
        courses: program.courses.join('\n'),
        min_grade: 'C-',
        outcomes: 'Plan a vessel schedule.\nRun a safe cargo operation.',
        skills: 'Port operations',
        fee: '25.00',
        validity_years: '',
        enrolment_paths: ['new', 'current', 'non_degree', 'returning'],
        contacts: '',
        market_analysis: 'The port authority asks for trained planners every season.',
        financial_model: 'Existing sections; the fee covers the badge.',
        marketing_plan: 'Port employers and the college newsletter.',
        delivery_mode: 'in_person',
        audience: 'Harbour staff and logistics students.',
        rationale: 'The port is the region’s largest employer and asks for planners.',
        assessment_plan: 'A planned shift at the port, judged by the instructor and the harbour master.',
      },
      [
        {
          field: 'syllabus',
          filename: 'syllabus.pdf',
          content: Buffer.from('%PDF-1.4 syllabus'),
          truncated: false,
        },
      ],
    );
    await programs.signatures.addSigner(lead, programId, { email: staff.signer.email, roleLabel: 'Dean' });
    await programs.signatures.requestSignatures(lead, programId);
    await page(sessions.signer!, '/inbox');
    await programs.signatures.signProposal(signer, programId, 'The school supports it.');
    await programs.review.submitProposal(lead, programId);
    await page(sessions.office!, '/inbox');
    await programs.review.approveForPilot(office, programId, 'Academic council approved the pilot.');

    // The public catalog lists it under Northwind's name and logo.
    const visitor = new BrowserSession(app, aClientAddress());
    const listing = await page(visitor, `/catalog/${program.slug}`);
    assert.match(listing, new RegExp(northwind.name));
    assert.match(await page(visitor, '/catalog'), new RegExp(program.title));

    // The newcomer signs up from "Just want the badge", proves the address and enrols.
    const next = `/enrol/${program.slug}?path=non_degree`;
    await page(visitor, `/signup?next=${encodeURIComponent(next)}`);
    const signedUp = await visitor.postForm('/signup', {
      name: newcomer.name,
      email: newcomer.email,
      password: passwordOf(newcomer.email),
      confirm: passwordOf(newcomer.email),
      next,
    });
    assert.match(signedUp.body, /Check your e-mail/);
    const verifyPath = (await mailedLink(newcomer.email, /\/signup\/verify\?token=/)).replace(/&amp;/g, '&');
    const verifyUrl = new URL(verifyPath, 'http://x');
    const verified = await visitor.postForm('/signup/verify', {
      token: verifyUrl.searchParams.get('token')!,
      password: passwordOf(newcomer.email),
      next: verifyUrl.searchParams.get('next') ?? next,
    });
    assert.equal(verified.statusCode, 303, verified.body);
    const enrolled = await visitor.postForm(`/enrol/${program.slug}`, {
      path: 'non_degree',
      name: newcomer.name,
      email: newcomer.email,
      studentId: newcomer.studentId,
      noAid: 'yes',
    });
    assert.equal(enrolled.statusCode, 303, enrolled.body);
    await page(visitor, `/enrol/${program.slug}`);

    // The student system: a client made by the administrator, a token, the completions as CSV.
    const made = await admin.postForm('/admin/api-clients', {
      name: 'Northwind SIS',
      scopes: ['completions:write'],
    });
    assert.equal(made.statusCode, 200, made.body.slice(0, 500));
    const [clientId, secret] = [...made.body.matchAll(/<dd><code>([^<]+)<\/code><\/dd>/g)].map((m) => m[1]);
    const tokenAnswer = await app.http.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'grant_type=client_credentials',
    });
    assert.equal(tokenAnswer.statusCode, 200, tokenAnswer.body);
    const imported = await app.http.inject({
      method: 'POST',
      url: '/api/imports/completions',
      headers: { authorization: `Bearer ${tokenAnswer.json().access_token}`, 'content-type': 'text/csv' },
      payload: completionsCsv(newcomer.studentId, newcomer.email),
    });
    assert.equal(imported.statusCode, 201, imported.body);
    assert.equal(imported.json().counts.accepted, 2, imported.body);

    // The learner requests the badge, the lead approves it, the credentials office issues it with the $25 fee.
    await page(visitor, '/progress');
    const learner = await actor(newcomer.email);
    await app.services.badgeRequests.requestBadge(learner, program.slug);
    const waiting = await app.services.badgeRequests.requestsToReview(lead, program.slug);
    const requestId = JSON.stringify(waiting).match(/"id":"([0-9a-f-]{36})"/)?.[1];
    assert.ok(requestId, JSON.stringify(waiting).slice(0, 400));
    await app.services.badgeRequests.decide(lead, requestId, 'approve', 'Both courses done well.');
    await page(sessions.office!, '/issuing');
    const outcome = await app.services.issuing.issueApprovedRequests(office, 'credentials_office', [
      requestId,
    ]);
    assert.deepEqual(outcome.refused, []);
    const credentialId = outcome.issued[0]!.credentialId;
    const ledger = await app.services.billing.ledger({});
    assert.ok(
      JSON.stringify(ledger).includes('"amountCents":2500'),
      `a $25 charge is posted: ${JSON.stringify(ledger).slice(0, 300)}`,
    );

    // The learner opens the claim link, the backpack and the credential; anyone verifies it.
    const claimed = await visitor.get(await mailedLink(newcomer.email, /\/claim\?token=/));
    assert.equal(claimed.statusCode, 303, 'the signed-in owner claims straight away');
    assert.match(claimed.headers.location ?? '', /^\/backpack\?claimed=/);
    await page(visitor, '/backpack');
    const json = await visitor.get(`/backpack/${credentialId}/credential.json`);
    assert.equal(json.statusCode, 200, json.body);
    const credential = json.json() as { id: string; issuer: { name: string; image?: { id: string } } };
    assert.equal(credential.issuer.name, northwind.name);
    const logoPath = credential.issuer.image?.id.replace(app.config.publicUrl, '');
    assert.ok(logoPath?.startsWith('/'), `the issuer image is on our site: ${credential.issuer.image?.id}`);
    const served = await app.http.inject({ url: logoPath });
    assert.equal(served.statusCode, 200);
    assert.ok(served.rawPayload.equals(northwindLogo()));
    const verifyPage = await page(
      new BrowserSession(app),
      `/verify?credential=${encodeURIComponent(credential.id)}`,
    );
    assert.match(verifyPage, /Verified/);
    assert.match(verifyPage, new RegExp(northwind.name));
  });
});
