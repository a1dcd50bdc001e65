import type { TestApp } from './test-app.ts';

/** What `POST /credentials/verify` answers, as far as the tests read it. */
export interface VerifyAnswer {
  verified: boolean;
  trusted: boolean;
  issuerTrust: { signer: string | null; level: string };
  errors: { check: string; message: string }[];
  details: { id: string; status: string; message: string }[];
}

/** Verifies a credential (an object, or a VC-JWT) through the API, as an outside verifier would ask. */
export async function verifyThroughApi(app: TestApp, credential: unknown) {
  const response = await app.http.inject({
    method: 'POST',
    url: '/credentials/verify',
    payload: { verifiableCredential: credential },
  });
  const answer = response.json() as VerifyAnswer;
  return { status: response.statusCode, answer, proof: answer.details.find((d) => d.id === 'proof')! };
}

/**
 * Posts a credential as the W3C VC-API verifier suites' client does, asking for the proof check only; the raw
 * response, since the suites judge the status code.
 */
export function postAsVerifierSuite(app: TestApp, verifiableCredential: unknown) {
  return app.http.inject({
    method: 'POST',
    url: '/credentials/verify',
    payload: { verifiableCredential, options: { checks: ['proof'] } },
  });
}
