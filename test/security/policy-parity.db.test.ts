// Audit point 7: least privilege, and the page and the API following one policy. The registrar could suspend
// the credentials office's badges through POST /credentials/:id/status though the register refused it; a
// program lead saw a learner's whole transcript, other programs included.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/platform/clock.ts';
import { newId } from '../../src/platform/ids.ts';
import type { Role } from '../../src/platform/roles.ts';
import type { BrowserSession } from '../support/browser-session.ts';
import { approvedRequests, credentialStatus, issueThroughSummary, textOf } from '../support/issuing.ts';
import { newPerson } from '../support/learners.ts';
import { setSuspension } from '../support/suspension.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

type Person = Awaited<ReturnType<typeof newPerson>>;

describe(`one policy for pages and the API on ${testBackend}`, () => {
  let app: TestApp;
  const people = new Map<Role, Person>();
  const roles: Role[] = ['learner', 'program_lead', 'bursar', 'registrar', 'credentials_office', 'admin'];

  /** Issues an approved request's badge the way its office does, from the approved-requests page. */
  const issue = async (office: 'registrar' | 'credentials_office') => {
    const modes = await app.database.db.selectFrom('programs').select(['id', 'credit_type']).execute();
    const wanted = office === 'registrar' ? 'credit' : 'non_credit';
    const request = (await approvedRequests(app)).find(
      (r) => modes.find((p) => p.id === r.programId)?.credit_type === wanted,
    );
    assert.ok(request, `an approved request for the ${office}`);
    const response = await issueThroughSummary(people.get(office)!.browser, office, [request.id]);
    assert.equal(response.statusCode, 303, textOf(response.body).slice(0, 300));
    const row = await app.database.db
      .selectFrom('issued_awards')
      .select(['credential_id', 'office'])
      .where('badge_request_id', '=', request.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.office, office);
    return row.credential_id;
  };
  // A signed-in API call carries the CSRF header, so a refusal here is the status policy's, not the CSRF check's.
  const postStatus = async (browser: BrowserSession, credentialId: string, status: string) =>
    app.http.inject({
      method: 'POST',
      url: `/credentials/${credentialId}/status`,
      payload: {
        status,
        reason: 'Checking who may do this.',
        ...(status === 'revoked' ? { category: 'other' } : {}),
      },
      headers: { ...(await browser.apiHeaders()), accept: 'application/json' },
    });

  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });
    for (const role of roles) people.set(role, await newPerson(app, `Parity ${role}`, [role]));
    // Every status action is compared, suspending included (an institution setting, off by default).
    await setSuspension(app, true);
  });
  after(() => app.close());

  test("the registrar cannot suspend the credentials office's badge through the API", async () => {
    const officeBadge = await issue('credentials_office');
    const refused = await postStatus(people.get('registrar')!.browser, officeBadge, 'suspended');
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'FORBIDDEN');
    assert.equal(await credentialStatus(app, officeBadge), 'active');
  });

  test('for each status action and each role, the buttons the page shows and the API answer agree', async () => {
    const badges = {
      credentials_office: await issue('credentials_office'),
      registrar: await issue('registrar'),
    };
    const actions = [
      { status: 'suspended', button: 'Suspend this badge' },
      { status: 'active', button: 'Reinstate this badge' },
      { status: 'revoked', button: 'Revoke this badge' },
    ];
    const allowedSeen = new Set<string>();
    for (const [office, credentialId] of Object.entries(badges)) {
      for (const action of actions) {
        // The administrator goes first for the revocation, so the table shows it acting for both offices.
        const order =
          action.status === 'revoked' ? ['admin' as const, ...roles.filter((r) => r !== 'admin')] : roles;
        for (const role of order) {
          const { browser } = people.get(role)!;
          const page = await browser.get(`/issuing/badges/${credentialId}`);
          const shown = page.statusCode === 200 && textOf(page.body).includes(action.button);
          const before = await credentialStatus(app, credentialId);
          const api = await postStatus(browser, credentialId, action.status);
          const where = `${role} → ${action.status} on the ${office}'s badge (${before})`;
          assert.equal(
            api.statusCode === 200,
            shown,
            `${where}: page shows ${shown}, API says ${api.statusCode}`,
          );
          if (api.statusCode === 200) allowedSeen.add(`${role}:${office}`);
          else
            assert.equal(
              await credentialStatus(app, credentialId),
              before,
              `${where}: a refusal changes nothing`,
            );
        }
      }
    }
    // The table is not empty: each office and the administrator changed something, and nobody else did.
    assert.deepEqual([...allowedSeen].sort(), [
      'admin:credentials_office',
      'admin:registrar',
      'credentials_office:credentials_office',
      'registrar:registrar',
    ]);
  });

  test("a program lead sees only their own programs' part of a learner's record, on the page and in exports", async () => {
    const db = app.database.db;
    const offered = await db
      .selectFrom('programs as p')
      .innerJoin('program_courses as pc', 'pc.program_id', 'p.id')
      .select(['p.id', 'p.slug', 'p.title', 'pc.course_code'])
      .where('p.status', 'in', ['pilot', 'established'])
      .execute();
    const coursesOf = new Map<string, { slug: string; title: string; courses: string[] }>();
    for (const row of offered) {
      const entry = coursesOf.get(row.id) ?? { slug: row.slug, title: row.title, courses: [] };
      entry.courses.push(row.course_code);
      coursesOf.set(row.id, entry);
    }
    // Two programs that share no course, so each completion belongs to one of them only.
    const entries = [...coursesOf.entries()];
    const pair = entries
      .flatMap(([aId, a]) => entries.map(([bId, b]) => ({ aId, a, bId, b })))
      .find(
        ({ aId, a, bId, b }) =>
          aId !== bId &&
          !a.courses.some((c) => b.courses.includes(c)) &&
          !a.title.includes(b.title) &&
          !b.title.includes(a.title),
      );
    assert.ok(pair, 'two programs with no course in common');
    const lead = await newPerson(app, 'Morgan Scoped-Lead', ['program_lead']);
    await db.updateTable('programs').set({ lead_user_id: lead.id }).where('id', '=', pair.aId).execute();

    const learnerId = newId();
    const studentId = `P${newId().slice(0, 8)}`;
    await db
      .insertInto('learners')
      .values({
        id: learnerId,
        email: `${studentId}@students.example`,
        name: 'Robin Twoprograms',
        student_id: studentId,
        status: 'current',
      })
      .execute();
    for (const programId of [pair.aId, pair.bId]) {
      await db
        .insertInto('enrolments')
        .values({
          id: newId(),
          learner_id: learnerId,
          program_id: programId,
          path: 'current',
          enrolled_on: '2026-01-10',
        })
        .execute();
    }
    const ownCourse = pair.a.courses[0]!;
    const otherCourse = pair.b.courses[0]!;
    for (const course of [ownCourse, otherCourse]) {
      await db
        .insertInto('completions')
        .values({
          id: newId(),
          learner_id: learnerId,
          course_code: course,
          term: '2026 Spring',
          grade: 'A',
          credits: 3,
          completed_on: '2026-05-01',
        })
        .execute();
    }

    const asLead = textOf((await lead.browser.get(`/learners/${learnerId}`)).body);
    assert.match(asLead, new RegExp(pair.a.title));
    assert.match(asLead, new RegExp(ownCourse));
    assert.doesNotMatch(asLead, new RegExp(pair.b.title), "another program's enrolment is not shown");
    assert.doesNotMatch(asLead, new RegExp(otherCourse), "another program's course is not shown");
    const search = textOf((await lead.browser.get(`/learners?q=${studentId}`)).body);
    assert.match(
      search,
      new RegExp(`Robin Twoprograms ${studentId} \\S+ Current student 1 `),
      'one active enrolment the lead may see',
    );

    // The records office still sees the whole record.
    const asOffice = textOf(
      (await people.get('credentials_office')!.browser.get(`/learners/${learnerId}`)).body,
    );
    assert.match(asOffice, new RegExp(pair.b.title));
    assert.match(asOffice, new RegExp(otherCourse));

    // The other program's progress pages and export stay closed to the lead.
    for (const url of [
      `/progress/programs/${pair.b.slug}`,
      `/progress/programs/${pair.b.slug}/export.csv`,
      `/progress/programs/${pair.b.slug}/learners/${learnerId}`,
    ]) {
      assert.equal((await lead.browser.get(url)).statusCode, 403, url);
    }
    const ownExport = await lead.browser.get(`/progress/programs/${pair.a.slug}/export.csv`);
    assert.equal(ownExport.statusCode, 200);
    assert.match(ownExport.body, new RegExp(studentId));
  });
});
