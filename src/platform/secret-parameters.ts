/**
 * Query parameters that carry a secret in any link the app writes (reset, invitation and claim links), and the
 * OAuth credentials an integration might wrongly put in an address (the token endpoint refuses them there).
 */
const SECRET_PARAMETER = /([?&](?:token|code|key|secret|client_secret|access_token)=)[^\s&#"'<>]+/gi;

/**
 * The one address whose path carries a secret: a wallet's VC-API exchange (`/wallet/exchanges/<secret>`), which
 * whoever holds it may complete with a DID of their own while the offer lasts.
 */
const SECRET_PATH = /(\/wallet\/exchanges\/)[^\s/?#"'<>]+/gi;

/**
 * Text with the value of every secret-carrying query parameter, and the secret of every wallet exchange address,
 * replaced by `hidden`: for log lines and for copies of mail that people other than the recipient may read.
 */
export const blankSecretParameters = (text: string, hidden = '[hidden]'): string =>
  text
    .replace(SECRET_PARAMETER, (_whole, name: string) => `${name}${hidden}`)
    .replace(SECRET_PATH, (_whole, path: string) => `${path}${hidden}`);
