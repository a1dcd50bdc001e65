/**
 * fast-check generators for the credentials Stackable builds (test and benchmark support only).
 * Values are chosen to stress canonical N-Quads: quotes, backslashes, control characters, lone
 * surrogates, emoji, numbers JSON-LD writes as doubles, IRIs that need pinning, and documents where two
 * nodes share an id or two blank nodes look alike.
 */
import fc from 'fast-check';
import { anyText, aWebUrl } from '../../../test/support/arbitraries.ts';
import type { BadgeInput, ImageInput } from '../build-credential.ts';
import { buildOpenBadgeCredential } from '../build-credential.ts';
import type { UnsignedOpenBadgeCredential } from '../credential-types.ts';

const awkward = fc.constantFrom(
  '"',
  '\\',
  '\n',
  '\r',
  '\t',
  '\b',
  '\f',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u2028',
  '\ud800',
  '\udfff',
  'é',
  'Ω',
  '😀',
  '👩🏽‍🎓',
  ' ',
  '<b>',
  '^^',
  '@en',
  '_:c14n0',
  ' .\n',
  'urn:x-stackable-slot-7f3c:1',
);

/** Free text for names, descriptions and narratives. */
export const textArb: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 16 }) },
      { weight: 1, arbitrary: anyText({ maxLength: 6 }) },
      { weight: 2, arbitrary: awkward },
    ),
    { maxLength: 5 },
  )
  .map((parts) => parts.join(''));

/** Mostly plain web addresses; now and then one the processor reads as a term or compact IRI. */
export const iriArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: aWebUrl() },
  { weight: 2, arbitrary: fc.uuid().map((uuid) => `urn:uuid:${uuid}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'https://northfield.example/programs/é',
      'https://northfield.example/a{b}',
      'did:web:badges.northfield.example',
      'mailto:registrar@northfield.example',
      'xsd:string',
      'schema:Thing',
      'https://northfield.example/%7E',
    ),
  },
);

/** Numbers JSON-LD writes as integers and as doubles, including its edge cases. */
export const numberArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 240 }),
  fc.double({ min: -1e30, max: 1e30, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 0.5, 2.5, 1 / 3, 1e-7, 1e20, 1e21, 1e300, 5e-324, Number.MAX_SAFE_INTEGER),
);

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const imageArb: fc.Arbitrary<ImageInput> = fc.record(
  { url: iriArb, caption: textArb },
  { requiredKeys: ['url'] },
);

const slotArb = fc.record({ listUrl: iriArb, index: fc.nat({ max: 131_071 }) });

/** Everything about one award except the issuer's DID. */
export function badgeInputArb(issuerDid: string): fc.Arbitrary<BadgeInput> {
  return fc.record({
    id: fc.oneof(
      fc.uuid().map((uuid) => `urn:uuid:${uuid}`),
      iriArb,
    ),
    issuer: fc.record(
      {
        did: fc.constant(issuerDid),
        name: textArb,
        url: iriArb,
        email: textArb,
        image: imageArb,
        description: textArb,
      },
      { requiredKeys: ['did', 'name', 'url', 'email'] },
    ),
    validFrom: fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
    validUntil: optional(
      fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
    ),
    name: textArb,
    description: textArb,
    image: optional(imageArb),
    recipient: fc.oneof(
      fc.record({ did: iriArb }),
      fc.record({ email: fc.record({ address: textArb, salt: textArb }) }),
      fc.record({ did: iriArb, email: fc.record({ address: textArb, salt: textArb }) }),
    ),
    program: fc.record(
      {
        url: iriArb,
        name: textArb,
        description: textArb,
        criteria: fc.record({ url: iriArb, narrative: textArb }, { requiredKeys: ['narrative'] }),
        image: imageArb,
        alignments: fc.array(
          fc.record(
            {
              targetName: textArb,
              targetUrl: fc.oneof(iriArb, textArb),
              targetCode: textArb,
              targetFramework: textArb,
              targetType: textArb,
            },
            { requiredKeys: ['targetName', 'targetUrl'] },
          ),
          { maxLength: 4 },
        ),
        creditsAvailable: numberArb,
        humanCode: textArb,
        fieldOfStudy: textArb,
        version: textArb,
      },
      { requiredKeys: ['url', 'name', 'description', 'criteria', 'creditsAvailable'] },
    ),
    creditsEarned: optional(numberArb),
    term: optional(textArb),
    evidence: optional(
      fc.array(
        fc.record(
          { id: iriArb, name: textArb, description: textArb, narrative: textArb, genre: textArb },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
    ),
    status: optional(
      fc.record({ revocation: slotArb, suspension: slotArb }, { requiredKeys: ['revocation'] }),
    ),
  });
}

/** Ways to make two parts of a badge coincide, which the fast path must hand to the reference code. */
type Twist = 'none' | 'same-image' | 'twin-alignments' | 'same-evidence-id' | 'self-issued';

function twist(input: BadgeInput, how: Twist): BadgeInput {
  const copy = structuredClone(input);
  switch (how) {
    case 'same-image':
      copy.image = { url: 'https://northfield.example/crest.png', caption: 'Crest' };
      copy.issuer.image = { url: 'https://northfield.example/crest.png', caption: 'Crest' };
      break;
    case 'twin-alignments': {
      const alignment = { targetName: 'Data literacy', targetUrl: 'https://skills.example/dl' };
      copy.program.alignments = [alignment, { ...alignment }];
      break;
    }
    case 'same-evidence-id':
      copy.evidence = [
        { id: 'https://northfield.example/evidence/1', name: 'Report' },
        { id: 'https://northfield.example/evidence/1', name: 'Report' },
      ];
      break;
    case 'self-issued':
      copy.recipient = { did: copy.issuer.did };
      break;
  }
  return copy;
}

/** Unsigned credentials of Stackable's shape; about one in six has a twist. */
export function unsignedCredentialArb(issuerDid: string): fc.Arbitrary<UnsignedOpenBadgeCredential> {
  const twistArb = fc.oneof(
    { weight: 25, arbitrary: fc.constant<Twist>('none') },
    {
      weight: 5,
      arbitrary: fc.constantFrom<Twist>('same-image', 'twin-alignments', 'same-evidence-id', 'self-issued'),
    },
  );
  return fc
    .tuple(badgeInputArb(issuerDid), twistArb)
    .map(([input, how]) => buildOpenBadgeCredential(twist(input, how)));
}

/**
 * Credentials as the issuing module makes them for one program: a fixed set of fields with every value
 * free, so most share a handful of shapes (the case the template cache is for). As in the app's badges,
 * the badge's image is also its achievement's image, and the criteria's id is the achievement's: nodes
 * that share an id, which JSON-LD merges.
 */
export function programCredentialArb(issuerDid: string): fc.Arbitrary<UnsignedOpenBadgeCredential> {
  return fc
    .record({
      id: fc.uuid(),
      name: textArb,
      description: textArb,
      narrative: textArb,
      email: textArb,
      salt: textArb,
      credits: fc.oneof(fc.integer({ min: 1, max: 36 }), fc.constantFrom(1.5, 4.5, 7.5)),
      alignments: fc.array(fc.record({ targetName: textArb, targetUrl: iriArb }), { maxLength: 3 }),
      validFrom: fc.date({ min: new Date('2000-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }),
      index: fc.nat({ max: 131_071 }),
      caption: textArb,
    })
    .map((values) => {
      const base = sampleBadgeInputFor(issuerDid);
      const image = { url: `${base.program.url}/badge.png`, caption: values.caption };
      return buildOpenBadgeCredential({
        ...base,
        id: `urn:uuid:${values.id}`,
        name: values.name,
        description: values.description,
        validFrom: values.validFrom,
        image,
        recipient: { email: { address: values.email, salt: values.salt } },
        program: {
          ...base.program,
          criteria: { url: base.program.url, narrative: values.narrative },
          image,
          alignments: values.alignments,
          creditsAvailable: values.credits,
        },
        creditsEarned: values.credits,
        status: {
          revocation: { listUrl: 'https://northfield.example/status/3', index: values.index },
        },
      });
    });
}

function sampleBadgeInputFor(issuerDid: string): BadgeInput {
  return {
    id: 'urn:uuid:00000000-0000-4000-8000-000000000000',
    issuer: {
      did: issuerDid,
      name: 'Northfield University',
      url: 'https://northfield.example',
      email: 'badges@northfield.example',
    },
    validFrom: new Date('2026-03-01T09:00:00Z'),
    name: '',
    description: '',
    recipient: {},
    program: {
      url: 'https://northfield.example/programs/data-analysis-foundations',
      name: 'Data Analysis Foundations',
      description: 'Three short courses on cleaning, exploring and presenting data.',
      criteria: { narrative: '' },
      creditsAvailable: 6,
      humanCode: 'DAF-101',
    },
  };
}

/** What differs between two learners' badges of one program, and ways for it to collide with the program. */
type LearnerTwist = 'none' | 'did-is-achievement' | 'evidence-is-image' | 'twin-evidence' | 'same-as-issuer';

/**
 * Badges of one program for several learners: the program's values (issuer, achievement, image, …) are
 * drawn once with every awkward character and shared by all, the learners' values (ids, dates, recipient,
 * credits, term, evidence, status index) drawn per badge. Which optional fields a badge has is drawn once
 * too, so the learners share a shape and the program's prebuilt text serves all but the first. Now and then
 * a learner's value coincides with the program's (a DID that is the achievement's id, evidence whose id is
 * the badge image, two identical evidence items), which the prebuilt text must hand to the general fill.
 */
export function cohortCredentialsArb(issuerDid: string): fc.Arbitrary<UnsignedOpenBadgeCredential[]> {
  const learnerArb = fc.record({
    id: fc.oneof(
      fc.uuid().map((uuid) => `urn:uuid:${uuid}`),
      iriArb,
    ),
    validFrom: fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
    validUntil: fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
    did: iriArb,
    email: textArb,
    salt: textArb,
    creditsEarned: numberArb,
    term: textArb,
    evidence: fc.array(fc.record({ id: iriArb, name: textArb, narrative: textArb }), {
      minLength: 2,
      maxLength: 2,
    }),
    index: fc.nat({ max: 131_071 }),
    twist: fc.oneof(
      { weight: 12, arbitrary: fc.constant<LearnerTwist>('none') },
      {
        weight: 1,
        arbitrary: fc.constantFrom<LearnerTwist>(
          'did-is-achievement',
          'evidence-is-image',
          'twin-evidence',
          'same-as-issuer',
        ),
      },
    ),
  });
  const fieldsArb = fc.record({
    did: fc.boolean(),
    email: fc.boolean(),
    validUntil: fc.boolean(),
    creditsEarned: fc.boolean(),
    term: fc.boolean(),
    status: fc.boolean(),
    evidence: fc.nat({ max: 2 }),
    evidenceIds: fc.boolean(),
  });
  return fc
    .tuple(badgeInputArb(issuerDid), fieldsArb, fc.array(learnerArb, { minLength: 2, maxLength: 6 }))
    .map(([program, fields, learners]) =>
      learners.map((learner) => {
        const input: BadgeInput = {
          ...program,
          id: learner.id,
          validFrom: learner.validFrom,
          validUntil: fields.validUntil ? learner.validUntil : undefined,
          recipient: {
            ...(fields.did || !fields.email ? { did: learner.did } : {}),
            ...(fields.email ? { email: { address: learner.email, salt: learner.salt } } : {}),
          },
          creditsEarned: fields.creditsEarned ? learner.creditsEarned : undefined,
          term: fields.term ? learner.term : undefined,
          evidence:
            fields.evidence > 0
              ? learner.evidence
                  .slice(0, fields.evidence)
                  .map(({ id, ...item }) => (fields.evidenceIds ? { id, ...item } : item))
              : undefined,
          status: fields.status
            ? { revocation: { listUrl: 'https://northfield.example/status/3', index: learner.index } }
            : undefined,
        };
        switch (learner.twist) {
          case 'did-is-achievement':
            input.recipient = { ...input.recipient, did: program.program.url };
            break;
          case 'evidence-is-image':
            input.evidence = [{ id: program.image?.url ?? program.program.url, name: 'Portfolio' }];
            break;
          case 'twin-evidence':
            input.evidence = [{ name: 'Report' }, { name: 'Report' }];
            break;
          case 'same-as-issuer':
            input.id = issuerDid;
            break;
        }
        return buildOpenBadgeCredential(input);
      }),
    );
}
