import { validateOpenBadgeCredential } from '../credentials/validate-credential.ts';
import { isObject, type JsonObject } from './read-presented-badge.ts';
import type { Check } from './verification-types.ts';

const SHOWN_PROBLEMS = 5;

/**
 * Checks the credential against the OB 3.0 JSON Schema. A single proof object is accepted as a
 * one-element list: the two mean the same in JSON-LD, and many issuers emit the object form.
 */
export function checkSchema(credential: JsonObject): Check {
  const contexts = credential['@context'];
  if (Array.isArray(contexts) && contexts[0] === 'https://www.w3.org/2018/credentials/v1') {
    return {
      id: 'schema',
      status: 'skipped',
      message:
        'This badge uses the older VC 1.1 form of Open Badges 3.0; the schema Stackable holds covers the VC 2.0 form.',
    };
  }
  const subject = isObject(credential.proof) ? { ...credential, proof: [credential.proof] } : credential;
  const verdict = validateOpenBadgeCredential(subject);
  if (verdict.valid) {
    return { id: 'schema', status: 'passed', message: 'The badge follows the Open Badges 3.0 data format.' };
  }
  const shown = verdict.problems
    .slice(0, SHOWN_PROBLEMS)
    .map((problem) => `${problem.field} ${problem.reason}`);
  const more = verdict.problems.length - shown.length;
  return {
    id: 'schema',
    status: 'failed',
    message:
      `The badge does not follow the Open Badges 3.0 data format: ${shown.join('; ')}` +
      (more > 0 ? `; and ${more} more.` : '.'),
  };
}
