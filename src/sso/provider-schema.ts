/**
 * The request schemas the provider screen and the provider API share: the provider's id, and the settings typed
 * the same way in both (the form and the JSON differ only in the role rules, the e-mail domains and the switch).
 */
import { Type } from 'typebox';

export const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const Text = (max: number) => Type.Optional(Type.String({ maxLength: max }));

/** A provider's settings as text, in the form and in JSON alike. */
export const providerTextFields = {
  slug: Type.String({ maxLength: 100 }),
  buttonLabel: Type.String({ maxLength: 200 }),
  protocol: Type.String({ maxLength: 10 }),
  discoveryUrl: Text(2000),
  clientId: Text(600),
  clientSecret: Text(2100),
  idpMetadataUrl: Text(2000),
  idpMetadataXml: Text(200_000),
  studentIdClaim: Text(300),
  groupsClaim: Text(300),
};
