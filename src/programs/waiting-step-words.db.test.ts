import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aProgram, aStaffMember, type Person } from '../../test/support/builders.ts';
import { textOf } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

describe(`a submitted proposal's status says who decides it on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    lead = await aStaffMember(app, 'program_lead');
    const admin = await aStaffMember(app, 'admin');
    const chains = app.services.programs.chains;
    const [first] = (await chains.findChain(admin, 'pilot')).chain.steps;
    await chains.editChain(admin, 'pilot', {
      kind: 'update_step',
      stepKey: first!.key,
      name: 'Curriculum Board',
      role: 'approver',
    });
  });
  after(() => app?.close());

  test("the lead's program page, program list and home name the chain's waiting step, not the credentials office", async () => {
    const program = await aProgram(app, { lead, status: 'submitted', title: 'Waiting Proposal' });
    const browser = await lead.signIn();
    const pages = {
      program: textOf((await browser.get(`/programs/${program.id}`)).body),
      list: textOf((await browser.get('/programs')).body),
      home: textOf((await browser.get('/home')).body),
    };
    for (const [name, text] of Object.entries(pages)) {
      assert.match(text, /Submitted for pilot approval: waiting for the Curriculum Board/, name);
      assert.doesNotMatch(text, /Submitted to the credentials office/, name);
    }
  });

  test('the notice after submitting says the proposal went for pilot approval, not to the credentials office', async () => {
    const program = await aProgram(app, { lead, status: 'submitted', title: 'Just Submitted Proposal' });
    const browser = await lead.signIn();
    const text = textOf((await browser.get(`/programs/${program.id}?done=submit`)).body);
    assert.match(text, /The proposal is submitted for pilot approval\./);
    assert.doesNotMatch(text, /submitted to the credentials office/i);
  });

  test('a proposal nobody may decide yet says so, without claiming its lead holds the deciding role', async () => {
    // Nobody in this database is an approver or in the credentials office: the lead holds neither role either.
    const program = await aProgram(app, { lead, status: 'submitted', title: 'Undecidable Proposal' });
    const text = textOf((await (await lead.signIn()).get(`/programs/${program.id}`)).body);
    assert.match(
      text,
      /Needs an approver other than the author: no one other than the program's lead holds a role that decides/,
    );
    assert.doesNotMatch(text, /only the program's lead holds the role/);
  });
});
