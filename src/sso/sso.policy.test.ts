import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/roles.ts';
import { isPasswordSignInClosed, mayBeBreakGlass, mayDo, type SsoAction } from './sso.policy.ts';

test('only administrators configure and test single sign-on; system actors never do, as a table', () => {
  const actions: SsoAction[] = ['view_providers', 'manage_providers', 'test_sign_in'];
  const people: [Role[], boolean][] = [
    [['admin'], true],
    [['registrar'], false],
    [['credentials_office'], false],
    [['learner'], false],
    [[], false],
  ];
  for (const action of actions) {
    for (const [roles, expected] of people) {
      const actor = { id: 'a', name: 'A', email: 'a@x.edu', roles };
      assert.equal(mayDo(actor, action), expected, `${roles.join('+')} ${action}`);
    }
    assert.equal(mayDo({ system: 'import' }, action), false);
    assert.equal(mayDo(null, action), false);
  }
});

test('with staff passwords off only learners and the break-glass administrator keep theirs, as a table', () => {
  const off = { staffPasswordsOff: true, breakGlassUserId: 'glass' };
  const on = { staffPasswordsOff: false, breakGlassUserId: 'glass' };
  const rows: [typeof off, string, Role[], boolean][] = [
    [off, 'lead', ['program_lead'], true],
    [off, 'mixed', ['learner', 'registrar'], true],
    [off, 'admin', ['admin'], true],
    [off, 'glass', ['admin'], false],
    [off, 'student', ['learner'], false],
    [off, 'nobody', [], false],
    [on, 'lead', ['program_lead'], false],
  ];
  for (const [settings, id, roles, closed] of rows) {
    assert.equal(
      isPasswordSignInClosed(settings, { id, roles }),
      closed,
      `${id} ${settings.staffPasswordsOff}`,
    );
  }
});

test('only an active administrator with a local password may be the break-glass administrator, as a table', () => {
  const rows: [Role[], 'active' | 'invited' | 'disabled', string | null, boolean][] = [
    [['admin'], 'active', 'hash', true],
    [['admin', 'registrar'], 'active', 'hash', true],
    [['admin'], 'active', null, false],
    [['admin'], 'disabled', 'hash', false],
    [['admin'], 'invited', 'hash', false],
    [['registrar'], 'active', 'hash', false],
  ];
  for (const [roles, status, passwordHash, expected] of rows) {
    assert.equal(
      mayBeBreakGlass({ roles, status, passwordHash }),
      expected,
      `${roles} ${status} ${passwordHash}`,
    );
  }
});
