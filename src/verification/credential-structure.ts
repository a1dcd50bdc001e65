import type { FieldProblem } from '../platform/errors.ts';
import { isOb2Assertion } from './ob2/read-ob2.ts';
import { isObject, type JsonObject } from './read-presented-badge.ts';

const CREDENTIALS_CONTEXTS = [
  'https://www.w3.org/ns/credentials/v2',
  'https://www.w3.org/2018/credentials/v1',
];

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** A value that is one object or a non-empty list of objects, as VC 2.0 allows for subjects and proofs. */
const objectsOf = (value: unknown): JsonObject[] | null => {
  if (isObject(value)) return [value];
  if (Array.isArray(value) && value.length > 0 && value.every(isObject)) return value;
  return null;
};

/**
 * What is malformed in a JSON-LD verifiable credential sent to the VC-API, each problem with its field (relative to
 * the credential) and reason. These are requests no verifier can judge, so the VC-API answers 400 for them, as the
 * W3C CCG VC-API verifier suite expects; a credential of the right shape that does not hold up is 422 instead.
 * Rules: VC 2.0 §4 (`@context` an ordered list led by the credentials context, `type` naming VerifiableCredential,
 * `issuer` a URL or an object with an `id`, `credentialSubject` one object or several) and an embedded proof with
 * the properties Data Integrity requires (`type`, `verificationMethod`, `proofPurpose`, a `proofValue` or legacy
 * `jws`, and `created` for Ed25519Signature2020, whose specification requires it). An Open Badges 2.0 assertion or
 * an enveloped VC-JWT is not judged here: each has its own reader. Pure.
 */
export function credentialStructureProblems(credential: unknown): FieldProblem[] {
  if (!isObject(credential)) return [{ field: '(credential)', reason: 'must be a credential object' }];
  // A cast, so the guard does not narrow `credential` itself: a 2.0 assertion is a JsonObject too.
  if (isOb2Assertion(credential as unknown)) return [];
  const types = Array.isArray(credential.type) ? credential.type : [credential.type];
  if (types.includes('EnvelopedVerifiableCredential')) return [];

  const problems: FieldProblem[] = [];
  const contexts = credential['@context'];
  if (!Array.isArray(contexts) || contexts.length === 0) {
    problems.push({ field: '@context', reason: 'must be a list of contexts' });
  } else if (!CREDENTIALS_CONTEXTS.includes(String(contexts[0]))) {
    problems.push({ field: '@context', reason: `must begin with ${CREDENTIALS_CONTEXTS[0]}` });
  } else if (!contexts.every((context) => isText(context) || isObject(context))) {
    problems.push({ field: '@context', reason: 'must hold only context URLs or context objects' });
  }

  if (!types.every(isText)) problems.push({ field: 'type', reason: 'must hold only type names' });
  else if (!types.includes('VerifiableCredential')) {
    problems.push({ field: 'type', reason: 'must include VerifiableCredential' });
  }

  const issuer = credential.issuer;
  if (!isText(issuer) && !(isObject(issuer) && isText(issuer.id))) {
    problems.push({ field: 'issuer', reason: 'must be a URL, or an object whose id is one' });
  }

  if (!objectsOf(credential.credentialSubject)) {
    problems.push({ field: 'credentialSubject', reason: 'must be an object, or a list of objects' });
  }

  const proofs = objectsOf(credential.proof);
  if (!proofs)
    problems.push({ field: 'proof', reason: 'must be an embedded proof object, or a list of them' });
  else {
    proofs.forEach((proof, index) => {
      const at = proofs.length === 1 && !Array.isArray(credential.proof) ? 'proof' : `proof.${index}`;
      problems.push(...proofProblems(proof, at));
    });
  }
  return problems;
}

function proofProblems(proof: JsonObject, at: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isText(proof.type)) problems.push({ field: `${at}.type`, reason: 'is required' });
  const method = proof.verificationMethod;
  if (!isText(method) && !(isObject(method) && isText(method.id))) {
    problems.push({ field: `${at}.verificationMethod`, reason: 'is required' });
  }
  if (!isText(proof.proofPurpose)) problems.push({ field: `${at}.proofPurpose`, reason: 'is required' });
  if (!isText(proof.proofValue) && !isText(proof.jws)) {
    problems.push({ field: `${at}.proofValue`, reason: 'is required' });
  }
  if (proof.type === 'Ed25519Signature2020' && !isText(proof.created)) {
    problems.push({ field: `${at}.created`, reason: 'is required for an Ed25519Signature2020 proof' });
  }
  return problems;
}
