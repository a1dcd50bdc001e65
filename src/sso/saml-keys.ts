/**
 * The site's SAML key pair, made once on first use: an RSA key and a self-signed certificate that carries it in
 * the SP metadata. Providers only pin the key the metadata publishes, so nothing is gained from a CA-signed one.
 */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import type { Db } from '../platform/db/database.ts';
import { openSealedSecret, sealSecret } from '../platform/sealed-secret.ts';
import type { ServiceProviderKeys } from './saml-adapter.ts';
import type { SsoRepository } from './sso.repository.ts';

/** A new RSA-2048 key pair with a certificate for `commonName`, valid for ten years (providers pin the key). */
export function makeServiceProviderKeys(
  commonName: string,
  now: Date,
): { privateKey: string; certificate: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(pem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
  cert.validity.notBefore = now;
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 24 * 60 * 60 * 1000);
  const subject = [{ name: 'commonName', value: commonName.slice(0, 64) }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(key, forge.md.sha256.create());
  return { privateKey: pem, certificate: forge.pki.certificateToPem(cert) };
}

/** The purpose the site's SAML private key is sealed for (see platform/sealed-secret.ts). */
export const SAML_KEY_PURPOSE = 'SAML service provider private key';

/** The stored key pair, made and kept on first use (the same for every provider, so the metadata stays stable). */
export async function serviceProviderKeys(
  db: Db,
  repository: SsoRepository,
  settings: { publicUrl: string; secret: string },
  now: Date,
): Promise<ServiceProviderKeys> {
  let row = await repository.serviceProviderKeys(db);
  if (!row) {
    const made = makeServiceProviderKeys(new URL(settings.publicUrl).hostname, now);
    row = await repository.keepServiceProviderKeys(db, {
      private_key_sealed: sealSecret(settings.secret, SAML_KEY_PURPOSE, made.privateKey),
      certificate: made.certificate,
    });
  }
  return {
    privateKey: openSealedSecret(settings.secret, SAML_KEY_PURPOSE, row.private_key_sealed),
    certificate: row.certificate,
  };
}
