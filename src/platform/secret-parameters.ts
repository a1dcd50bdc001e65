/**
 * Query parameters that carry a secret in any link the app writes (reset, invitation and claim links), and the
 * OAuth credentials an integration might wrongly put in an address (the token endpoint refuses them there).
 */
const SECRET_PARAMETER = /([?&](?:token|code|key|secret|client_secret|access_token)=)[^\s&#"'<>]+/gi;

/**
 * Text with the value of every secret-carrying query parameter replaced by `hidden`: for log lines and for
 * copies of mail that people other than the recipient may read.
 */
export const blankSecretParameters = (text: string, hidden = '[hidden]'): string =>
  text.replace(SECRET_PARAMETER, (_whole, name: string) => `${name}${hidden}`);
