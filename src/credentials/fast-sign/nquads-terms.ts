/**
 * How single values are written in canonical N-Quads: the same rules the JSON-LD processor
 * (@digitalcredentials/jsonld) and rdf-canonize apply, restated for the fast path and checked against
 * them byte for byte by canonical-template.test.ts.
 */

// Control characters, DEL, the double quote and the backslash must be escaped inside a literal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters N-Quads escapes.
const LITERAL_ESCAPES = /[\u0000-\u001F\u007F"\\]/g;
const SHORT_ESCAPES: Record<string, string> = {
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
  '"': '\\"',
  '\\': '\\\\',
};

function escapeOne(char: string): string {
  return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The text between the quotes of an N-Quads literal. */
export function escapeLiteral(value: string): string {
  // Most values need no escaping; a quick test avoids building a new string for them.
  LITERAL_ESCAPES.lastIndex = 0;
  if (!LITERAL_ESCAPES.test(value)) return value;
  LITERAL_ESCAPES.lastIndex = 0;
  return value.replace(LITERAL_ESCAPES, escapeOne);
}

/**
 * JSON-LD writes a number as an xsd:double when it "looks like" one: its JavaScript text has a decimal
 * point, or it is at least 1e21. Everything else (including 1e-7, whose text has no point) is an integer.
 */
export function isJsonLdDouble(value: number): boolean {
  return String(value).includes('.') || Math.abs(value) >= 1e21;
}

/**
 * A number's literal text: doubles (and any number typed xsd:double by the context) in the canonical
 * `d.dddE±n` form with the mantissa's trailing zeros removed, integers with no fraction.
 */
export function formatJsonLdNumber(value: number, asDouble: boolean): string {
  if (asDouble) return value.toExponential(15).replace(/(\d)0*e\+?/, '$1E');
  return value.toFixed(0);
}

// An absolute IRI the processor leaves exactly as written: a scheme, a colon, then only characters that
// need no escaping in N-Quads (RFC 3986 unreserved, reserved and percent signs).
const PLAIN_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;

/**
 * True when `value`, used where the context expects an IRI, reaches the RDF output unchanged: it is an
 * absolute IRI made of plain characters, and neither the whole value nor its scheme is a term of the
 * contexts (a term would be expanded, or used as a prefix, by the processor).
 */
export function isVerbatimIri(value: string, terms: ReadonlySet<string>): boolean {
  if (!PLAIN_IRI.test(value) || terms.has(value)) return false;
  return !terms.has(value.slice(0, value.indexOf(':')));
}

// Characters rdf-canonize escapes inside an IRI's angle brackets.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters N-Quads escapes.
const IRI_ESCAPES = /[\u0000-\u0020<>"{}|^`\\]/g;

/** An IRI as written between angle brackets in N-Quads. */
export function escapeIri(value: string): string {
  IRI_ESCAPES.lastIndex = 0;
  if (!IRI_ESCAPES.test(value)) return value;
  IRI_ESCAPES.lastIndex = 0;
  return value.replace(
    IRI_ESCAPES,
    (char) => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANGSTRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

/** What follows a literal's closing quote: nothing for xsd:string, `@lang`, or `^^<datatype>`. */
export function literalSuffix(datatype: string | undefined, language: string | undefined): string {
  if (datatype === RDF_LANGSTRING) return language ? `@${language}` : '';
  if (datatype === undefined || datatype === XSD_STRING) return '';
  return `^^<${escapeIri(datatype)}>`;
}
