import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkedInAddToProfileUrl } from './linkedin.ts';

const cert = {
  name: 'Data Visualization & Storytelling',
  organizationName: 'Cascade Ridge University',
  issuedAt: new Date('2026-01-31T23:30:00Z'),
  certUrl: 'https://badges.example.edu/badges/5f0c6a3e-8a51-4f0e-9a57-2b0d8f4c1e11',
  certId: '5f0c6a3e-8a51-4f0e-9a57-2b0d8f4c1e11',
};

test('the LinkedIn address carries the certification, its issuer, month and year, and its page', () => {
  const url = new URL(linkedInAddToProfileUrl(cert));
  assert.equal(url.origin + url.pathname, 'https://www.linkedin.com/profile/add');
  assert.deepEqual(Object.fromEntries(url.searchParams), {
    startTask: 'CERTIFICATION_NAME',
    name: 'Data Visualization & Storytelling',
    organizationName: 'Cascade Ridge University',
    issueYear: '2026',
    issueMonth: '1',
    certUrl: cert.certUrl,
    certId: cert.certId,
  });
});

test('an expiring badge also fills in the expiry month and year', () => {
  const url = new URL(linkedInAddToProfileUrl({ ...cert, expiresAt: new Date('2029-12-01T00:00:00Z') }));
  assert.equal(url.searchParams.get('expirationYear'), '2029');
  assert.equal(url.searchParams.get('expirationMonth'), '12');
});
