import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readProviderInput } from './provider-input.ts';

const base = {
  slug: 'campus',
  buttonLabel: 'Campus account',
  protocol: 'oidc',
  discoveryUrl: 'https://login.campus.edu',
  clientId: 'stackable',
};

test('a complete OpenID provider is read into stored fields', () => {
  const read = readProviderInput({
    ...base,
    roleMap: 'badge-office = credentials_office\n\n  staff=program_lead ',
    emailDomains: 'Campus.edu, alumni.campus.edu campus.edu',
  });
  assert.deepEqual(read.problems, []);
  assert.deepEqual(read.fields?.mapping.roleMap, [
    { group: 'badge-office', role: 'credentials_office' },
    { group: 'staff', role: 'program_lead' },
  ]);
  assert.deepEqual(read.fields?.email_domains, ['campus.edu', 'alumni.campus.edu']);
});

test('each problem names its field and reason', () => {
  const read = readProviderInput({
    slug: '-Bad',
    buttonLabel: '',
    protocol: 'oidc',
    discoveryUrl: 'http://login.campus.edu',
    roleMap: 'staff = wizard',
    emailDomains: 'not a domain!',
  });
  assert.deepEqual(
    read.problems.map((p) => p.field),
    ['slug', 'buttonLabel', 'discoveryUrl', 'clientId', 'roleMap', 'emailDomains'],
  );
});

test('a discovery address must be https, even on this machine (the SSRF guard reads only https)', () => {
  assert.deepEqual(readProviderInput({ ...base, discoveryUrl: 'https://127.0.0.1:8443' }).problems, []);
  for (const discoveryUrl of ['http://127.0.0.1:8080', 'http://10.0.0.5']) {
    assert.deepEqual(readProviderInput({ ...base, discoveryUrl }).problems, [
      { field: 'discoveryUrl', reason: 'must use https' },
    ]);
  }
});

test('a SAML provider needs metadata that names a provider, an HTTP-Redirect sign-on and a signing key', () => {
  const saml = { slug: 'shib', buttonLabel: 'Campus', protocol: 'saml' };
  assert.deepEqual(readProviderInput({ ...saml, idpMetadataUrl: 'https://idp.campus.edu/md' }).problems, []);
  assert.deepEqual(
    readProviderInput({ ...saml, idpMetadataUrl: 'http://idp.campus.edu/md' }).problems.map((p) => p.field),
    ['idpMetadataUrl'],
  );
  const noKey =
    '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.campus.edu">' +
    '<IDPSSODescriptor><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" ' +
    'Location="https://idp.campus.edu/sso"/></IDPSSODescriptor></EntityDescriptor>';
  assert.deepEqual(readProviderInput({ ...saml, idpMetadataXml: noKey }).problems, [
    { field: 'idpMetadataXml', reason: 'publishes no signing certificate' },
  ]);
  assert.deepEqual(readProviderInput({ ...saml, idpMetadataXml: '<a><b></a>' }).problems, [
    { field: 'idpMetadataXml', reason: 'is not well-formed XML' },
  ]);
});
