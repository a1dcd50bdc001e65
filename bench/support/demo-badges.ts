/**
 * Badges like the ones the issuing module will sign: one per learner, for the demo university's
 * programs, with each program's skills as alignments. Deterministic for a given seed.
 */
import type { BadgeInput } from '../../src/credentials/build-credential.ts';
import { buildOpenBadgeCredential } from '../../src/credentials/build-credential.ts';
import type { UnsignedOpenBadgeCredential } from '../../src/credentials/credential-types.ts';
import { readDemoUniversity, seededRandom } from './seeded-random.ts';

export function demoBadges(
  issuerDid: string,
  count: number,
  options: { validFrom?: Date; withStatus?: boolean; seed?: number } = {},
): UnsignedOpenBadgeCredential[] {
  const { institution, programs } = readDemoUniversity();
  const random = seededRandom(options.seed ?? 7);
  const hex = (length: number) =>
    Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
  const offered = programs.filter(
    (program) => program.status === 'established' || program.status === 'pilot',
  );
  return Array.from({ length: count }, (_, index) => {
    const program = offered[index % offered.length]!;
    const input: BadgeInput = {
      id: `urn:uuid:${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`,
      issuer: {
        did: issuerDid,
        name: institution.name,
        url: institution.url,
        email: institution.email,
        image: { url: `${institution.url}/crest.png`, caption: `${institution.name} crest` },
      },
      validFrom: options.validFrom ?? new Date(Date.UTC(2026, 5, 1 + (index % 28), 9)),
      name: program.title,
      description: `Awarded for completing the ${program.title} micro-credential.`,
      image: { url: `${institution.url}/badges/${program.slug}.png`, caption: `${program.title} badge` },
      recipient: { email: { address: `learner${index}@students.cascaderidge.example`, salt: hex(16) } },
      program: {
        url: `${institution.url}/programs/${program.slug}`,
        name: program.title,
        description: program.summary,
        criteria: { narrative: `Complete ${program.courses.join(', ')} with a C- or better.` },
        alignments: program.skills
          .filter((skill) => skill.url)
          .map((skill) => ({
            targetName: skill.name,
            targetUrl: skill.url!,
            ...(skill.framework ? { targetFramework: skill.framework } : {}),
            ...(skill.code ? { targetCode: skill.code } : {}),
          })),
        creditsAvailable: program.credits.max,
        humanCode: program.slug.toUpperCase().slice(0, 12),
      },
      creditsEarned: program.credits.max,
      term: '2026 Spring',
      ...(options.withStatus === false
        ? {}
        : { status: { revocation: { listUrl: `${institution.url}/status/1`, index: index % 131_072 } } }),
    };
    return buildOpenBadgeCredential(input);
  });
}
