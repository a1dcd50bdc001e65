import {
  type SchemaVerdict,
  validateClrCredential,
  validateEndorsementCredential,
  validateOpenBadgeCredential,
} from '../credentials/validate-credential.ts';
import type { FieldProblem } from '../platform/errors.ts';
import type { CredentialKind } from './credential-kind.ts';
import { isObject, type JsonObject } from './read-presented-badge.ts';
import type { Check } from './verification-types.ts';

const SHOWN_PROBLEMS = 5;

/** The official 1EdTech schemas Stackable holds (OB 3.0, CLR 2.0), by the kind of credential they describe. */
const SCHEMAS: Partial<
  Record<CredentialKind, { what: string; format: string; validate: (credential: unknown) => SchemaVerdict }>
> = {
  'open-badge': {
    what: 'The badge',
    format: 'the Open Badges 3.0 data format',
    validate: validateOpenBadgeCredential,
  },
  endorsement: {
    what: 'The endorsement',
    format: 'the Open Badges 3.0 EndorsementCredential schema',
    validate: validateEndorsementCredential,
  },
  clr: {
    what: 'The CLR',
    format: 'the CLR 2.0 ClrCredential schema',
    validate: validateClrCredential,
  },
};

/** Whether Stackable holds the official schema for this kind of credential. */
export const hasSchemaFor = (kind: CredentialKind): boolean => SCHEMAS[kind] !== undefined;

/**
 * Checks the credential against the official JSON Schema for its kind (OB 3.0 AchievementCredential or
 * EndorsementCredential, CLR 2.0 ClrCredential), as published. A single proof object is accepted as a one-element list: the two mean the
 * same in JSON-LD, and many issuers emit the object form.
 */
export function checkSchema(credential: JsonObject, kind: CredentialKind = 'open-badge'): Check {
  const schema = SCHEMAS[kind];
  if (!schema) {
    return {
      id: 'schema',
      status: 'skipped',
      message: 'Stackable holds no schema for this kind of credential.',
    };
  }
  const { what, format } = schema;
  const release = kind === 'clr' ? 'CLR 2.0' : 'Open Badges 3.0';
  const contexts = credential['@context'];
  if (Array.isArray(contexts) && contexts[0] === 'https://www.w3.org/2018/credentials/v1') {
    return {
      id: 'schema',
      status: 'skipped',
      message: `${what} uses the older VC 1.1 form of ${release}; the schema Stackable holds covers the VC 2.0 form.`,
    };
  }
  // Object.assign, not `{ ...credential, proof }`: on this Node a spread followed by more fields costs µs per call.
  const subject = isObject(credential.proof)
    ? Object.assign({}, credential, { proof: [credential.proof] })
    : credential;
  const verdict = schema.validate(subject);
  if (verdict.valid) {
    return { id: 'schema', status: 'passed', message: `${what} follows ${format}.` };
  }
  const entries = severalStatusEntries(subject, verdict.problems);
  if (entries > 0) {
    return {
      id: 'schema',
      status: 'warning',
      message:
        `${what} follows ${format} except that it carries ${entries} status entries ` +
        'where OB 3.0 allows one (VC 2.0 allows several, as OB 3.1 is to). Each entry is checked under status.',
    };
  }
  const shown = verdict.problems
    .slice(0, SHOWN_PROBLEMS)
    .map((problem) => `${problem.field} ${problem.reason}`);
  const more = verdict.problems.length - shown.length;
  return {
    id: 'schema',
    status: 'failed',
    message: `${what} does not follow ${format}: ${shown.join('; ')}${more > 0 ? `; and ${more} more.` : '.'}`,
  };
}

/**
 * How many status entries a credential has when a list of them is its only departure from the schema, else 0.
 * A verifier meets such badges from any VC 2.0 issuer, and from Stackable before it kept to one entry: they are
 * reported as a warning, not passed (the schema is not bent) and not failed (nothing in them is false). Each
 * entry still has to hold in the status check. Our own new badges must pass the schema as it is.
 */
function severalStatusEntries(credential: JsonObject, problems: FieldProblem[]): number {
  const entries = credential.credentialStatus;
  if (!Array.isArray(entries) || entries.length < 2) return 0;
  const onlyThat = problems.every((problem) => problem.field === 'credentialStatus');
  const wellFormed = entries.every(
    (entry) => isObject(entry) && typeof entry.id === 'string' && typeof entry.type === 'string',
  );
  return onlyThat && wellFormed ? entries.length : 0;
}
