import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { readClrCredentialSchema, readEndorsementCredentialSchema } from '../credentials/local-contexts.ts';
import { newDidKeySigningKey } from '../credentials/test-fixtures.ts';
import { checkSchema } from './check-schema.ts';
import { aClr, anEndorsement, signedBy } from './credential-kind-fixtures.ts';
import { isObject } from './read-presented-badge.ts';
import { verifyPresentedBadge } from './verify-presented-badge.ts';

const DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const endorsement = anEndorsement(DID, 'https://college.example/achievements/1', 'Meets the panel’s bar.');

describe('the OB 3.0 EndorsementCredential schema check', () => {
  test('the bundled schema is the published one: draft 2019-09, its own purl id, and it compiles', () => {
    const schema = readEndorsementCredentialSchema();
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2019-09/schema#');
    assert.equal(
      schema.$id,
      'https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/ob_v3p0_endorsementcredential_schema.json',
    );
    assert.doesNotThrow(() => new Ajv2019({ strict: false, validateFormats: false }).compile(schema));
  });

  test('a well-formed endorsement passes, its proof object read as a one-element list', () => {
    const check = checkSchema({ ...endorsement, proof: { type: 'DataIntegrityProof' } }, 'endorsement');
    assert.equal(check.status, 'passed', check.message);
    assert.match(check.message, /The endorsement follows the Open Badges 3\.0 EndorsementCredential schema/);
  });

  test('each rule of the schema is applied, with the field named', () => {
    const cases: [string, object, RegExp][] = [
      ['no name', { ...endorsement, name: undefined }, /name must have required property/],
      ['no validFrom', { ...endorsement, validFrom: undefined }, /validFrom must have required property/],
      [
        'a subject that is not an EndorsementSubject',
        { ...endorsement, credentialSubject: { id: 'https://x.example/1', type: ['AchievementSubject'] } },
        /credentialSubject\.type must contain at least 1 valid item/,
      ],
      [
        'a VC 2.0 context that is not first',
        { ...endorsement, '@context': [...endorsement['@context']].reverse() },
        /@context/,
      ],
      [
        'a validUntil that is no date-time',
        { ...endorsement, validUntil: 'next year' },
        /validUntil must match format/,
      ],
    ];
    for (const [what, credential, reason] of cases) {
      const defined = JSON.parse(JSON.stringify(credential));
      const check = checkSchema(defined, 'endorsement');
      assert.equal(check.status, 'failed', what);
      assert.match(check.message, reason, what);
    }
  });

  test('an Open Badge is still checked against the AchievementCredential schema, not the endorsement one', () => {
    const check = checkSchema(endorsement, 'open-badge');
    assert.equal(check.status, 'failed');
    assert.match(check.message, /The badge does not follow the Open Badges 3\.0 data format/);
  });
});

describe('the CLR 2.0 ClrCredential schema check', () => {
  const clr = aClr(DID, ['Statistics', 'Field Ecology']);
  const deps = {
    now: new Date('2026-06-01T00:00:00Z'),
    resolveDid: async () => null,
    fetchStatusList: async () => null,
    ourIssuerDids: [],
  };

  test('the bundled schema is the published one: draft 2019-09, its purl id, and it compiles', () => {
    const schema = readClrCredentialSchema();
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2019-09/schema#');
    assert.equal(
      schema.$id,
      'https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json',
    );
    assert.deepEqual(schema.required, [
      '@context',
      'type',
      'id',
      'name',
      'credentialSubject',
      'issuer',
      'validFrom',
    ]);
    assert.doesNotThrow(() => new Ajv2019({ strict: false, validateFormats: false }).compile(schema));
  });

  test('a CLR we sign ourselves passes the schema and verifies, its proof object read as a one-element list', async () => {
    const key = await newDidKeySigningKey();
    const signed = await signedBy(aClr(key.did, ['Statistics']), key);
    assert.ok(isObject(signed.proof), 'the signer gives a single proof object');
    const result = await verifyPresentedBadge({ kind: 'object', value: signed }, deps);
    const schema = result.checks.find((check) => check.id === 'schema');
    assert.equal(schema?.status, 'passed', schema?.message);
    assert.match(schema?.message ?? '', /The CLR follows the CLR 2\.0 ClrCredential schema/);
    assert.equal(result.checks.find((check) => check.id === 'proof')?.status, 'passed');
    assert.match(result.checks[0]?.message ?? '', /A Comprehensive Learner Record \(CLR 2\.0\)/);
  });

  test('each rule of the schema is applied, with the field and the reason named', () => {
    const subject = clr.credentialSubject;
    const cases: [string, object, RegExp][] = [
      ['no name', { ...clr, name: undefined }, /name must have required property 'name'/],
      ['no validFrom', { ...clr, validFrom: undefined }, /validFrom must have required property 'validFrom'/],
      [
        'a subject with no assertions',
        { ...clr, credentialSubject: { ...subject, verifiableCredential: undefined } },
        /credentialSubject\.verifiableCredential must have required property 'verifiableCredential'/,
      ],
      [
        'an empty list of assertions',
        { ...clr, credentialSubject: { ...subject, verifiableCredential: [] } },
        /credentialSubject\.verifiableCredential must NOT have fewer than 1 items/,
      ],
      [
        'the OB context before the CLR one',
        { ...clr, '@context': [clr['@context'][0], clr['@context'][2], clr['@context'][1]] },
        /@context\.1 must match pattern/,
      ],
      [
        'a type without ClrCredential',
        { ...clr, type: ['VerifiableCredential', 'AchievementCredential'] },
        /type\.1 must be equal to one of the allowed values/,
      ],
      [
        'an association of no known type',
        {
          ...clr,
          credentialSubject: {
            ...subject,
            association: [
              { type: 'Association', associationType: 'isCousinOf', sourceId: 'a:1', targetId: 'a:2' },
            ],
          },
        },
        /credentialSubject\.association\.0\.associationType must be equal to one of the allowed values/,
      ],
      [
        'a learner identifier that does not say whether it is hashed',
        {
          ...clr,
          credentialSubject: {
            ...subject,
            identifier: [{ type: 'IdentityObject', identityType: 'name', identityHash: 'Inès Okafor' }],
          },
        },
        /credentialSubject\.identifier\.0\.hashed must have required property 'hashed'/,
      ],
      [
        'a validUntil that is no date-time',
        { ...clr, validUntil: 'next year' },
        /validUntil must match format/,
      ],
    ];
    for (const [what, credential, reason] of cases) {
      const defined = JSON.parse(JSON.stringify(credential));
      const check = checkSchema(defined, 'clr');
      assert.equal(check.status, 'failed', what);
      assert.match(check.message, /^The CLR does not follow the CLR 2\.0 ClrCredential schema: /, what);
      assert.match(check.message, reason, what);
    }
  });

  test('a CLR missing a required field fails verification, naming the schema and the field', async () => {
    const key = await newDidKeySigningKey();
    const unnamed = await signedBy({ ...aClr(key.did, ['Statistics']), name: undefined }, key);
    const result = await verifyPresentedBadge({ kind: 'object', value: unnamed }, deps);
    const schema = result.checks.find((check) => check.id === 'schema');
    assert.equal(schema?.status, 'failed');
    assert.match(
      schema?.message ?? '',
      /CLR 2\.0 ClrCredential schema: name must have required property 'name'/,
    );
    assert.equal(result.verified, false);
  });

  test('a VC 1.1 CLR is not held to the VC 2.0 schema, and the check says which release it covers', () => {
    const older = {
      ...clr,
      '@context': ['https://www.w3.org/2018/credentials/v1', ...clr['@context'].slice(1)],
    };
    const check = checkSchema(older, 'clr');
    assert.equal(check.status, 'skipped');
    assert.match(check.message, /older VC 1\.1 form of CLR 2\.0/);
  });
});
