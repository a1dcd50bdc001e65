/**
 * Who really signed a badge, decided from the signature alone. A badge can call itself anything: its
 * `issuer.name`, image and links are the signer's claims. Only the key that made a valid signature tells who
 * vouches for it, so every verdict leads with that signer and says whether we know them.
 */

/** `ours`: one of this institution's DIDs. `known`: trusted by an administrator. `unknown`: anyone else. */
export type IssuerTrustLevel = 'ours' | 'known' | 'unknown' | 'unverified';

/** A signer an administrator trusts, by hand or through a registry. */
export interface KnownIssuer {
  name: string;
  /** Where the trust comes from: "added by an administrator" or the registry's name. */
  source: string;
}

export interface IssuerTrust {
  level: IssuerTrustLevel;
  /** The DID whose key made the valid signature; null when no signature held. */
  signer: string | null;
  /** The name we vouch for: the institution's own (ours) or the one the administrator or registry gave (known). */
  name: string | null;
  /** The name the badge gives itself (`issuer.name`), which only its signer vouches for. */
  claimedName: string | null;
  /** The badge calls itself by this institution's name (ignoring case and spacing) without being ours. */
  usesOurName: boolean;
  /** One or two sentences that lead every result: who signed it and whether they are known. */
  message: string;
}

export interface IssuerTrustInput {
  /** The signature check passed. */
  proofPassed: boolean;
  /** The DID of the verification method that made the signature (the part before `#`). */
  signerDid: string | null;
  /** The issuer id the badge states. */
  issuerId: string | null;
  claimedName: string | null;
  ourDids: readonly string[];
  /** The institution's name as the database has it, never as a badge states it. */
  ourName: string;
  knownIssuer(did: string): KnownIssuer | null;
}

/** A name folded for comparison: compatibility forms, case and runs of spaces do not make it another name. */
export function foldName(name: string): string {
  // Printable ASCII has no compatibility forms, so NFKC (the costly step) leaves it as it is.
  const folded = PRINTABLE_ASCII.test(name) ? name : name.normalize('NFKC');
  return folded.toLowerCase().replace(/\s+/g, ' ').trim();
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

const quoted = (name: string | null) => (name ? `'${name}'` : 'no name');

/**
 * An issuer trust, written out field by field: on this Node (V8 11.3) an object spread followed by more fields,
 * `{ ...base, level }`, costs 1 to 3 µs, the most expensive line of a verification of our own badge.
 */
const trustOf = (
  level: IssuerTrustLevel,
  signer: string | null,
  name: string | null,
  claimedName: string | null,
  usesOurName: boolean,
  message: string,
): IssuerTrust => ({ claimedName, name, usesOurName, level, signer, message });

/** Decides the issuer trust of a verified (or not) badge. Pure: no I/O, never throws. */
export function decideIssuerTrust(input: IssuerTrustInput): IssuerTrust {
  const claimedName = input.claimedName?.trim() || null;
  // Only a badge that is not ours can be said to use our name; ours (the common case) need not compare them.
  const usesOurName = () => claimedName !== null && foldName(claimedName) === foldName(input.ourName);
  const lookAlike = ' It uses the name of this institution but was not issued by it.';

  if (!input.proofPassed || !input.signerDid) {
    const namesUs = usesOurName();
    return trustOf(
      'unverified',
      null,
      null,
      claimedName,
      namesUs,
      `No valid signature, so nobody can be named as its signer; it calls itself ${quoted(claimedName)}.${
        namesUs ? ' It uses the name of this institution, but nothing shows it was issued by it.' : ''
      }`,
    );
  }
  const signer = input.signerDid;
  if (input.issuerId !== signer) {
    return trustOf(
      'unverified',
      signer,
      null,
      claimedName,
      usesOurName(),
      `Signed by ${signer}, but it names ${input.issuerId ?? 'no one'} as its issuer: the signature does not vouch for the issuer it names.`,
    );
  }
  if (input.ourDids.includes(signer)) {
    return trustOf('ours', signer, input.ourName, claimedName, false, `Issued by ${input.ourName}.`);
  }
  const namesUs = usesOurName();
  const listed = input.knownIssuer(signer);
  // Only our own keys make a badge ours: an entry (a registry's, say) under this institution's name is ignored.
  const known = listed && foldName(listed.name) !== foldName(input.ourName) ? listed : null;
  if (known) {
    const calls =
      claimedName && foldName(claimedName) !== foldName(known.name)
        ? ` It calls itself ${quoted(claimedName)}.`
        : '';
    return trustOf(
      'known',
      signer,
      known.name,
      claimedName,
      namesUs,
      `Signed by ${known.name} (${signer}), a known issuer (${known.source}).${calls}${namesUs ? lookAlike : ''}`,
    );
  }
  return trustOf(
    'unknown',
    signer,
    null,
    claimedName,
    namesUs,
    `Signed by ${signer}, which is not a known issuer; it calls itself ${quoted(claimedName)}.${namesUs ? lookAlike : ''}`,
  );
}
