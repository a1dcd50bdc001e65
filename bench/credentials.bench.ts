/**
 * sign and verify: eddsa-rdfc-2022 Open Badges per core (one thread), Stackable's fast path against the
 * reference stack (@digitalcredentials/vc issue / verifyCredential with the Data Integrity suite and the
 * eddsa-rdfc-2022 cryptosuite), same key (did:key), same credentials, same bundled contexts, same run.
 *
 * Also measured, in the dated result file only: Stackable's plain path (signCredential and the
 * verification module's proof check), bulk signing on all cores through worker threads, and two
 * correctness gates that fail the bench: verifier-core on a sample of fast-signed badges, and a
 * byte-for-byte comparison of the fast canonical N-Quads with the reference on generated credentials.
 */
import { createPrivateKey, randomBytes, sign as signBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { DataIntegrityProof } from '@digitalcredentials/data-integrity';
import * as Ed25519Multikey from '@digitalcredentials/ed25519-multikey';
import { cryptosuite as eddsaRdfc2022 } from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalcredentials/vc';
import fc from 'fast-check';
import type { SignedOpenBadgeCredential, SigningKey } from '../src/credentials/credential-types.ts';
import { createDocumentLoader } from '../src/credentials/document-loader.ts';
import { createCanonicalizer } from '../src/credentials/fast-sign/canonicalizer.ts';
import { createFastSigner } from '../src/credentials/fast-sign/fast-signer.ts';
import { createFastVerifier } from '../src/credentials/fast-sign/fast-verifier.ts';
import { createSigningPool } from '../src/credentials/fast-sign/signing-pool.ts';
import {
  cohortCredentialsArb,
  programCredentialArb,
  unsignedCredentialArb,
} from '../src/credentials/fast-sign/test-arbitraries.ts';
import { didKeyFor, generateIssuerKeyPair } from '../src/credentials/issuer-keys.ts';
import { prepareSigner } from '../src/credentials/prepared-signer.ts';
import { signCredential } from '../src/credentials/sign-credential.ts';
import { verifyDataIntegrityProof } from '../src/verification/check-data-integrity-proof.ts';
import { demoBadges } from './support/demo-badges.ts';
import { type BenchDefinition, compareThroughput, median, metric } from './support/harness.ts';
import { checkWithVerifierCore } from './support/verifier-core-check.ts';

const DATA_SET = 300;
const DIFFERENTIAL_CASES = Number(process.env.BENCH_DIFFERENTIAL ?? 2000);
const BULK_BATCH = 5000;

export default {
  name: 'credentials',
  description: 'eddsa-rdfc-2022 signing and verification per core: fast path vs the reference stack',
  async run(log) {
    const pair = await generateIssuerKeyPair();
    const did = didKeyFor(pair.publicKeyMultibase);
    const key: SigningKey = { did, keyId: pair.publicKeyMultibase, ...pair };
    const documentLoader = createDocumentLoader();
    const badges = demoBadges(did, DATA_SET);
    const pick = <T>(list: readonly T[], index: number) => list[index % list.length]!;

    // The reference stack, assembled as its documentation shows.
    const keyPair = await Ed25519Multikey.from({
      id: `${did}#${key.keyId}`,
      controller: did,
      type: 'Multikey',
      publicKeyMultibase: key.publicKeyMultibase,
      secretKeyMultibase: key.secretKeyMultibase,
    });
    const referenceSuite = new DataIntegrityProof({ signer: keyPair.signer(), cryptosuite: eddsaRdfc2022 });
    const referenceVerifySuite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });

    const canonicalizer = createCanonicalizer({ documentLoader });
    const signer = createFastSigner(key, { canonicalizer });
    // The floor under any eddsa-rdfc-2022 signer: Node's Ed25519 alone, on a message the size of the one
    // a proof signs (two SHA-256 digests), with the same key.
    const rawKey = createPrivateKey({ key: { ...(await prepareSigner(key)).privateJwk }, format: 'jwk' });
    const digests = randomBytes(64);
    log(`signing ${DATA_SET} demo badges in rotation, one at a time…`);
    const sign = await compareThroughput({
      ours: (index) => signer.sign(pick(badges, index)),
      plain: (index) => signCredential(pick(badges, index), key),
      baseline: (index) =>
        vc.issue({ credential: structuredClone(pick(badges, index)), suite: referenceSuite, documentLoader }),
    });

    // Measured on their own, so the reference stack's garbage is not collected on either's time.
    log('our signatures against raw Ed25519 signatures…');
    const share = await compareThroughput({
      ours: (index) => signer.sign(pick(badges, index)),
      ed25519: () => signBytes(null, digests, rawKey),
    });

    const signed: SignedOpenBadgeCredential[] = [];
    for (const badge of badges) signed.push(await signer.sign(badge));
    const verifier = createFastVerifier([key], { canonicalizer });
    log(`verifying ${DATA_SET} fast-signed badges in rotation…`);
    const verify = await compareThroughput({
      ours: async (index) => {
        const verdict = await verifier.verify(pick(signed, index));
        if (verdict.status !== 'valid') throw new Error(`fast verifier: ${verdict.message}`);
      },
      plain: async (index) => {
        const badge = structuredClone(pick(signed, index)) as unknown as Parameters<
          typeof verifyDataIntegrityProof
        >[0];
        const verdict = await verifyDataIntegrityProof(badge, documentLoader);
        if (verdict.status !== 'passed') throw new Error(`verification module: ${verdict.message}`);
      },
      baseline: async (index) => {
        const result = await vc.verifyCredential({
          credential: structuredClone(pick(signed, index)),
          suite: referenceVerifySuite,
          documentLoader,
          checkStatus: async () => ({ verified: true }),
        });
        if (!result.verified) throw new Error(`reference verifier: ${JSON.stringify(result.error)}`);
      },
    });

    log('bulk signing on all cores through worker threads…');
    const bulk = await measureBulkSigning(key, demoBadges(did, BULK_BATCH, { seed: 11 }));
    const bulkCheck = await Promise.all(bulk.sample.map((badge) => verifier.verify(badge)));
    if (bulkCheck.some((verdict) => verdict.status !== 'valid'))
      throw new Error('A pool-signed badge failed.');

    log('checking a sample with @digitalcredentials/verifier-core…');
    const sample = demoBadges(did, 20, {
      seed: 3,
      withStatus: false,
      validFrom: new Date(Date.now() - 7 * 86_400_000),
    });
    const verifierCore = await checkWithVerifierCore(
      await Promise.all(sample.map((badge) => signer.sign(badge))),
    );

    log(`comparing canonical N-Quads with the reference on ${DIFFERENTIAL_CASES} generated credentials…`);
    const differential = await compareWithReference(did, DIFFERENTIAL_CASES, documentLoader);

    return {
      metrics: {
        sign: metric({
          unit: 'credentials/s',
          ours: sign.ours!.median,
          baseline: sign.baseline!.median,
          better: 'higher',
          description:
            'OB 3.0 credentials signed per second on one thread (eddsa-rdfc-2022): createFastSigner vs @digitalcredentials/vc issue',
          rounds: { ours: sign.ours!.rounds, baseline: sign.baseline!.rounds },
          latencyMs: { ours: sign.ours!.latencyMs, baseline: sign.baseline!.latencyMs },
          cpuTime: {
            unit: 'credentials per CPU-second',
            ours: sign.ours!.perCpuSecond,
            baseline: sign.baseline!.perCpuSecond,
          },
        }),
        sign_share_of_ed25519: metric({
          unit: '%',
          ours: (100 * share.ours!.perCpuSecond) / share.ed25519!.perCpuSecond,
          better: 'higher',
          description:
            "createFastSigner's credentials per CPU-second as a share of raw Ed25519 signatures per CPU-second (crypto.sign of 64 bytes, same key), both on one thread in interleaved rounds",
          rounds: { ours: share.ours!.rounds, baseline: share.ed25519!.rounds },
          cpuTime: {
            unit: 'signatures per CPU-second',
            ours: share.ours!.perCpuSecond,
            baseline: share.ed25519!.perCpuSecond,
          },
        }),
        verify: metric({
          unit: 'credentials/s',
          ours: verify.ours!.median,
          baseline: verify.baseline!.median,
          better: 'higher',
          description:
            'Own credentials verified per second on one thread (signature only): createFastVerifier vs @digitalcredentials/vc verifyCredential',
          rounds: { ours: verify.ours!.rounds, baseline: verify.baseline!.rounds },
          latencyMs: { ours: verify.ours!.latencyMs, baseline: verify.baseline!.latencyMs },
          cpuTime: {
            unit: 'credentials per CPU-second',
            ours: verify.ours!.perCpuSecond,
            baseline: verify.baseline!.perCpuSecond,
          },
        }),
      },
      details: {
        plainPath: {
          description: "Stackable's existing path: signCredential and the verification module's proof check",
          signPerSecond: sign.plain!.median,
          verifyPerSecond: verify.plain!.median,
          signPerCpuSecond: sign.plain!.perCpuSecond,
          verifyPerCpuSecond: verify.plain!.perCpuSecond,
          signRounds: sign.plain!.rounds,
          verifyRounds: verify.plain!.rounds,
        },
        bulkSigningWithWorkerThreads: {
          description: `signMany of ${BULK_BATCH} badges through createSigningPool (all cores), not per core`,
          threads: bulk.threads,
          credentialsPerSecond: bulk.median,
          credentialsPerCpuSecond: bulk.perCpuSecond,
          rounds: bulk.rounds,
        },
        canonicalizer: canonicalizer.stats,
        verifierCore,
        differential,
      },
    };
  },
} satisfies BenchDefinition;

async function measureBulkSigning(key: SigningKey, badges: ReturnType<typeof demoBadges>) {
  const pool = createSigningPool(key, { threads: availableParallelism() });
  try {
    await pool.signMany(badges.slice(0, 600));
    const rounds: number[] = [];
    const perCpuSecond: number[] = [];
    let sample: SignedOpenBadgeCredential[] = [];
    for (let round = 0; round < 3; round += 1) {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      const signed = await pool.signMany(badges);
      rounds.push(Math.round((badges.length * 1000 * 100) / (performance.now() - start)) / 100);
      // process.cpuUsage counts every thread of the process, the workers included.
      const cpu = process.cpuUsage(cpuStart);
      perCpuSecond.push(Math.round((badges.length * 1e6 * 100) / (cpu.user + cpu.system)) / 100);
      sample = signed.filter((_, index) => index % 250 === 0);
    }
    return {
      threads: pool.threads,
      median: median(rounds),
      rounds,
      perCpuSecond: median(perCpuSecond),
      sample,
    };
  } finally {
    await pool.close();
  }
}

/** Fails the bench on the first credential whose fast canonical form differs from the reference's. */
async function compareWithReference(
  did: string,
  cases: number,
  documentLoader: ReturnType<typeof createDocumentLoader>,
) {
  const canonicalizer = createCanonicalizer({ documentLoader });
  // Plus as many again in cohorts: several learners of one program, all but the first written from the
  // program's prebuilt text (about four a cohort).
  const documents = [
    ...fc.sample(unsignedCredentialArb(did), { numRuns: Math.ceil(cases / 2), seed: 42 }),
    ...fc.sample(programCredentialArb(did), { numRuns: Math.floor(cases / 2), seed: 43 }),
    ...fc.sample(cohortCredentialsArb(did), { numRuns: Math.ceil(cases / 4), seed: 44 }).flat(),
  ];
  let refusedByBoth = 0;
  for (const [index, document] of documents.entries()) {
    const expected = await eddsaRdfc2022
      .canonize(structuredClone(document), { documentLoader, base: null, safe: true })
      .catch(() => null);
    const actual = await canonicalizer.canonize(document).catch(() => null);
    if (expected === null && actual === null) refusedByBoth += 1;
    else if (actual !== expected) {
      throw new Error(
        `Canonical N-Quads differ from the reference for case ${index}: ${JSON.stringify(document)}`,
      );
    }
  }
  return {
    cases: documents.length,
    identical: documents.length - refusedByBoth,
    refusedByBoth,
    paths: canonicalizer.stats,
  };
}
