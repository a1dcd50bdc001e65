import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { readEndorsementCredentialSchema } from '../credentials/local-contexts.ts';
import { checkSchema } from './check-schema.ts';
import { aClr, anEndorsement } from './credential-kind-fixtures.ts';
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

  test('a CLR is reported as not schema-checked, saying that the CLR 2.0 schema is not held', async () => {
    const result = await verifyPresentedBadge(
      { kind: 'object', value: aClr(DID, ['Statistics']) },
      {
        now: new Date('2026-06-01T00:00:00Z'),
        resolveDid: async () => null,
        fetchStatusList: async () => null,
        ourIssuerDids: [],
      },
    );
    const schema = result.checks.find((check) => check.id === 'schema');
    assert.equal(schema?.status, 'skipped');
    assert.match(schema?.message ?? '', /does not hold the CLR 2\.0 JSON Schema/);
    assert.match(result.checks[0]?.message ?? '', /ClrCredential/);
  });
});
