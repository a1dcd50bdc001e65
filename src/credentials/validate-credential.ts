import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { type FieldProblem, invalid } from '../platform/errors.ts';
import {
  readAchievementCredentialSchema,
  readClrCredentialSchema,
  readEndorsementCredentialSchema,
} from './local-contexts.ts';

export interface SchemaVerdict {
  valid: boolean;
  problems: FieldProblem[];
}

// ajv-formats is CommonJS; depending on the loader its plugin is the default export or sits under `.default`.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

/** A validator for one published schema, compiled on first use; compiling costs far more than validating. */
function schemaValidator(read: () => Record<string, unknown>): (credential: unknown) => SchemaVerdict {
  let validate: ValidateFunction | undefined;
  return (credential) => {
    if (!validate) {
      const ajv = new Ajv2019({ allErrors: true, strict: false });
      addFormats(ajv);
      validate = ajv.compile(read());
    }
    if (validate(credential)) return { valid: true, problems: [] };
    return { valid: false, problems: dedupe(describe(validate.errors, '')) };
  };
}

/**
 * Checks a credential against the 1EdTech OB 3.0 AchievementCredential JSON Schema, as published and with no
 * allowance of our own, and lists each problem with the field it concerns.
 */
export const validateOpenBadgeCredential = schemaValidator(readAchievementCredentialSchema);

/** The same for the OB 3.0 EndorsementCredential JSON Schema, as published: other issuers' endorsements. */
export const validateEndorsementCredential = schemaValidator(readEndorsementCredentialSchema);

/** The same for the CLR 2.0 ClrCredential JSON Schema, as published: other issuers' learner records. */
export const validateClrCredential = schemaValidator(readClrCredentialSchema);

function describe(errors: ErrorObject[] | null | undefined, prefix: string): FieldProblem[] {
  return (errors ?? []).map((error) => {
    const path = error.instancePath.split('/').filter(Boolean);
    if (error.keyword === 'required') path.push(String(error.params.missingProperty));
    if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
    const field = [prefix, ...path].filter(Boolean).join('.') || '(credential)';
    const reason =
      error.keyword === 'additionalProperties' ? 'is not allowed here' : (error.message ?? 'is not valid');
    return { field, reason };
  });
}

function dedupe(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.field}\u0000${problem.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The checks every signer makes before it signs, whatever the format. A proof only holds when the key's DID is
 * the issuer, and a document is signed once: a mismatch or a second proof is a programming error, not input.
 */
export function assertSignableBy(unsigned: object, did: string): void {
  const record = unsigned as { issuer?: unknown; proof?: unknown };
  const issuer = record.issuer;
  const issuerId = typeof issuer === 'string' ? issuer : (issuer as { id?: unknown } | undefined)?.id;
  if (issuerId !== did) {
    throw new Error(`The credential's issuer (${String(issuerId)}) is not the signing key's DID (${did}).`);
  }
  if (record.proof !== undefined) throw new Error('The credential already carries a proof.');
}

/** Refuses a badge that fails the OB 3.0 schema, naming each field: nothing invalid is signed. */
export function assertValidBadge(unsigned: object): void {
  const verdict = validateOpenBadgeCredential(unsigned);
  if (!verdict.valid) {
    throw invalid(
      verdict.problems,
      'The badge does not meet the Open Badges 3.0 schema, so it was not signed.',
    );
  }
}
