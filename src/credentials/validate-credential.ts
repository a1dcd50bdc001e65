import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { type FieldProblem, invalid } from '../platform/errors.ts';
import { readAchievementCredentialSchema } from './local-contexts.ts';

export interface SchemaVerdict {
  valid: boolean;
  problems: FieldProblem[];
}

interface Validators {
  credential: ValidateFunction;
  statusEntry: ValidateFunction;
}

let validators: Validators | undefined;

// ajv-formats is CommonJS; depending on the loader its plugin is the default export or sits under `.default`.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

/** Compiles the OB 3.0 schema once; compiling costs far more than validating. */
function compiled(): Validators {
  if (!validators) {
    const schema = readAchievementCredentialSchema();
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    addFormats(ajv);
    const credential = ajv.compile(schema);
    const statusEntry = ajv.compile({ $ref: `${String(schema.$id)}#/$defs/CredentialStatus` });
    validators = { credential, statusEntry };
  }
  return validators;
}

/**
 * Checks a credential against the 1EdTech OB 3.0 AchievementCredential JSON Schema and lists each
 * problem with the field it concerns. One allowance: the schema permits a single credentialStatus,
 * while Stackable may add a second (suspension) entry as VC 2.0 allows; each entry is then checked on
 * its own against the schema's CredentialStatus definition.
 */
export function validateOpenBadgeCredential(credential: unknown): SchemaVerdict {
  const { credential: validateCredential, statusEntry } = compiled();
  const problems: FieldProblem[] = [];
  let subject = credential;
  if (isRecord(credential) && Array.isArray(credential.credentialStatus)) {
    const entries: unknown[] = credential.credentialStatus;
    if (entries.length === 0)
      problems.push({ field: 'credentialStatus', reason: 'must not be an empty list' });
    entries.forEach((entry, index) => {
      if (!statusEntry(entry)) problems.push(...describe(statusEntry.errors, `credentialStatus.${index}`));
    });
    subject = { ...credential, credentialStatus: entries[0] ?? {} };
  }
  if (!validateCredential(subject)) problems.push(...describe(validateCredential.errors, ''));
  return { valid: problems.length === 0, problems: dedupe(problems) };
}

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

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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
