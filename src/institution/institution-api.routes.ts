import { Type } from 'typebox';
import type { HttpServer } from '../platform/http/server.ts';
import { institutionRoles } from './institution.policy.ts';
import type { InstitutionService } from './institution.service.ts';
import { profileFields, profileLabels } from './institution-profile.ts';

const tags = ['Institution'];

// Every field is a string; which are required, and what each must look like, the service checks and answers with
// a 422 naming each field, so a caller learns every problem at once.
const descriptions: Partial<Record<(typeof profileFields)[number], string>> = {
  admissionsUrl:
    'Where new students apply: the http:// or https:// address the program pages’ "Apply for admission" opens. ' +
    'Empty for none (the pages then say to ask the contact e-mail how to apply); left out, the stored one is kept.',
  allowSuspension:
    '"true" lets staff suspend badges; "false" (the default, also when left out) allows revoking only. OB 3.0 ' +
    'gives a badge one status entry, its revocation entry, so a suspension is kept in this register and shown ' +
    'by this site’s verifier and badge pages, not by other verifiers.',
};
const profileProperties = Object.fromEntries(
  profileFields.map((field) => [
    field,
    Type.String({ maxLength: 4000, description: descriptions[field] ?? profileLabels[field] }),
  ]),
);

const ProfileBody = Type.Partial(Type.Object(profileProperties), { additionalProperties: false });

const ProfileResponse = Type.Object({
  ...profileProperties,
  isSetUp: Type.Boolean({ description: 'False while the placeholder profile is shown' }),
  logoUrl: Type.Union([Type.String(), Type.Null()], { description: 'The current logo’s stable address' }),
});

const FieldProblems = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  code: Type.String(),
  detail: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), reason: Type.String() }))),
});

/** `GET` and `PUT /api/institution`: the profile as JSON, for administrators. */
export function registerInstitutionApi(app: HttpServer, deps: { institution: InstitutionService }): void {
  const { institution } = deps;
  const present = (profile: Awaited<ReturnType<InstitutionService['profile']>>) => ({
    ...profile.values,
    isSetUp: profile.isSetUp,
    logoUrl: profile.logo?.url ?? null,
  });

  app.get(
    '/api/institution',
    {
      config: { access: institutionRoles.view_profile },
      schema: {
        tags,
        summary: 'The institution’s profile: names, contacts, colours, fees and program-page answers',
        response: { 200: ProfileResponse },
      },
    },
    async (request) => present(await institution.profile(request.actor)),
  );

  app.put(
    '/api/institution',
    {
      config: { access: institutionRoles.edit_profile },
      schema: {
        tags,
        summary: 'Replace the institution’s profile (new badges use it; issued badges keep theirs)',
        description:
          'Send every field. Refused values answer 422 with one entry per field in `errors`. The fee is a ' +
          'decimal amount ("10.00") in `currency` (ISO 4217); colours are hex and must give text a WCAG AA ' +
          'contrast of 4.5:1.',
        body: ProfileBody,
        response: { 200: ProfileResponse, 422: FieldProblems },
      },
    },
    async (request) => present(await institution.updateProfile(request.actor, request.body)),
  );
}
