import assert from 'node:assert/strict';
import { aStaffMember } from './builders.ts';
import type { TestApp } from './test-app.ts';

/**
 * Turns the institution's "Suspending badges" setting on or off the way an administrator does: through
 * `PUT /api/institution`, with the rest of the profile as it stands. The institution must exist (anInstitution).
 */
export async function setSuspension(app: TestApp, on: boolean): Promise<void> {
  const admin = await (await aStaffMember(app, 'admin')).signIn();
  const read = await admin.get('/api/institution', { accept: 'application/json' });
  assert.equal(read.statusCode, 200, read.body);
  const { isSetUp: _isSetUp, logoUrl: _logoUrl, ...values } = read.json() as Record<string, unknown>;
  const saved = await app.http.inject({
    method: 'PUT',
    url: '/api/institution',
    payload: { ...values, allowSuspension: String(on) },
    headers: { ...(await admin.apiHeaders()), accept: 'application/json' },
  });
  assert.equal(saved.statusCode, 200, saved.body);
}
