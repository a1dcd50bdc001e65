/**
 * What an integration (an API client of the student system or another campus tool) may be allowed to do. One
 * list, shared by the routes that accept access tokens (each names the scope it needs in `config.scope`), the
 * token endpoint, the administrators' screen and the OpenAPI document, so none of them can name a scope the
 * others do not know.
 */
export const apiScopes = {
  'completions:write': 'Import course completions from the student information system',
  'learners:read': 'Read learner records',
  'learners:write': 'Create and update learner records',
  'courses:write': 'Create and update courses in the catalog',
  'certificates:read': 'Read certificates, drafts and versions included',
  'certificates:write': 'Create certificates and save their drafts',
  'credentials:issue': 'Issue credentials through the VC-API',
  'credentials:status': 'Revoke, suspend or reinstate issued credentials',
} as const satisfies Record<string, string>;

export type ApiScope = keyof typeof apiScopes;

/** The scopes in a stable order, for forms and documents. */
export const allApiScopes = Object.keys(apiScopes) as ApiScope[];

export const isApiScope = (value: string): value is ApiScope => Object.hasOwn(apiScopes, value);
