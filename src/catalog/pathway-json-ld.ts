import type { Institution } from '../platform/db/schema.ts';
import { levelLabels } from '../programs/program-vocabulary.ts';
import type { Pathway } from './certificates.service.ts';

/**
 * schema.org description of a certificate pathway, for search engines. The program is an
 * EducationalOccupationalProgram; the certificate it awards is an EducationalOccupationalCredential, which is a
 * CreativeWork and so may list the badges as its parts (`hasPart`; the program type itself has no such
 * property). The extra courses are the program's `hasCourse`.
 */
export function pathwayJsonLd(p: Pathway, institution: Institution, publicUrl: string): string {
  const data = {
    '@context': 'https://schema.org',
    '@type': 'EducationalOccupationalProgram',
    name: p.title,
    description: p.description,
    url: `${publicUrl}/catalog/certificates/${p.slug}`,
    programType: 'Certificate',
    numberOfCredits: p.creditsRequired,
    provider: { '@type': 'CollegeOrUniversity', name: institution.name, url: institution.url },
    ...(p.outcome ? { disambiguatingDescription: p.outcome } : {}),
    educationalCredentialAwarded: {
      '@type': 'EducationalOccupationalCredential',
      name: p.title,
      credentialCategory: 'Certificate',
      educationalLevel: levelLabels[p.level],
      recognizedBy: { '@type': 'CollegeOrUniversity', name: institution.name, url: institution.url },
      hasPart: p.stack.map((b) => ({
        '@type': 'EducationalOccupationalCredential',
        name: b.title,
        url: `${publicUrl}/catalog/${b.slug}`,
        credentialCategory: 'Micro-credential',
      })),
    },
    hasCourse: p.courses.map((c) => ({
      '@type': 'Course',
      courseCode: c.code,
      name: c.title,
      numberOfCredits: c.credits,
    })),
  };
  // `<` is escaped so no text in the data can close the script element.
  return JSON.stringify(data).replace(/</g, '\\u003c');
}
