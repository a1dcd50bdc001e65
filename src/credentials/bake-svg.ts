/**
 * Baking an Open Badges 3.0 credential into an SVG: an `<openbadges:credential>` element right after
 * the root `<svg>` start tag. A compact JWT goes in its `verify` attribute; the JSON of a credential
 * with an embedded proof goes in CDATA as its content.
 *
 * The scanner below only moves forward with indexOf, so even a many-megabyte SVG is read in linear
 * time; no regular expression here can backtrack.
 */

/** Thrown when text is not an SVG document the baker can work with. */
export class SvgFormatError extends Error {
  override name = 'SvgFormatError';
}

export const OPEN_BADGES_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
const ELEMENT = 'openbadges:credential';
const NAMESPACE_ATTRIBUTE = 'xmlns:openbadges';

/** A start tag found in the document: `<` at `start`, name, attribute text, and `>` ending before `end`. */
interface StartTag {
  name: string;
  start: number;
  /** Offset just past the closing `>`. */
  end: number;
  attributes: string;
  selfClosing: boolean;
}

/**
 * Returns `svg` with `credential` baked in, replacing any credential it already carried. A credential
 * whose text starts with `{` is treated as JSON and stored in CDATA; anything else (a compact JWT) is
 * stored in the `verify` attribute. Throws SvgFormatError when the root element is not `<svg>` and
 * RangeError when the credential holds characters XML cannot carry.
 */
export function bakeSvg(svg: string, credential: string): string {
  assertXmlSafe(credential);
  const withoutOld = removeCredentialElements(svg);
  const root = findRootSvg(withoutOld);
  const namespaced = declareNamespace(root);
  const element = isJsonCredential(credential)
    ? `<${ELEMENT}>${wrapInCdata(credential)}</${ELEMENT}>`
    : `<${ELEMENT} verify="${escapeAttribute(credential)}"/>`;

  const before = withoutOld.slice(0, root.start);
  const after = withoutOld.slice(root.end);
  if (root.selfClosing) return `${before}${namespaced}>\n${element}\n</svg>${after}`;
  return `${before}${namespaced}>\n${element}${after}`;
}

/**
 * Reads the credential baked into `svg`: the `verify` attribute (a JWT) when present, otherwise the
 * element's text or CDATA content (JSON). Returns null when the SVG carries no credential. `element` is
 * `openbadges:assertion` for an Open Badges 2.0 assertion, whose `verify` holds a JWS or the hosted URL.
 */
export function extractFromSvg(svg: string, element = ELEMENT): string | null {
  const tag = findElement(svg, element, 0);
  if (!tag) return null;
  const verify = readAttribute(tag.attributes, 'verify');
  if (verify !== null) return decodeEntities(verify);
  if (tag.selfClosing) return null;
  const close = findEndTag(svg, element, tag.end);
  if (!close) throw new SvgFormatError(`<${element}> is never closed`);
  return readContent(svg.slice(tag.end, close.start));
}

function isJsonCredential(credential: string): boolean {
  return credential.trimStart().startsWith('{');
}

/**
 * CDATA ends at the first `]]>`, so that sequence is split across two sections: `]]` closes the
 * first and `>` opens the second; a reader joining the sections gets the original text back.
 */
function wrapInCdata(text: string): string {
  return `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

/** Escapes for a double-quoted attribute, keeping tabs and line breaks as character references. */
function escapeAttribute(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '"') out += '&quot;';
    // XML parsers turn raw whitespace in attributes into spaces; references keep it intact.
    else if (ch === '\t') out += '&#9;';
    else if (ch === '\n') out += '&#10;';
    else if (ch === '\r') out += '&#13;';
    else out += ch;
  }
  return out;
}

function assertXmlSafe(text: string): void {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const isControl = code < 0x20 && code !== 0x9 && code !== 0xa && code !== 0xd;
    const isHighSurrogate = code >= 0xd800 && code <= 0xdbff;
    const isLowSurrogate = code >= 0xdc00 && code <= 0xdfff;
    if (isHighSurrogate) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
    }
    if (isControl || isHighSurrogate || isLowSurrogate || code === 0xfffe || code === 0xffff) {
      throw new RangeError(`Credential contains a character XML cannot carry (U+${code.toString(16)})`);
    }
  }
}

/** Finds the document's root element, skipping the XML declaration, comments and a doctype. */
function findRootSvg(svg: string): StartTag {
  const tag = findElement(svg, null, 0);
  if (!tag) throw new SvgFormatError('Not an SVG document: no root element found');
  if (tag.name !== 'svg') {
    throw new SvgFormatError(`Not an SVG document: the root element is <${tag.name}>, not <svg>`);
  }
  return tag;
}

/** Rebuilds the root start tag (without its closing `>`) so it declares the Open Badges prefix. */
function declareNamespace(root: StartTag): string {
  const attributes = root.attributes.trimEnd();
  const existing = readAttribute(attributes, NAMESPACE_ATTRIBUTE);
  if (existing === null) return `<svg${attributes} ${NAMESPACE_ATTRIBUTE}="${OPEN_BADGES_NAMESPACE}"`;
  if (decodeEntities(existing) !== OPEN_BADGES_NAMESPACE) {
    throw new SvgFormatError(`The SVG binds ${NAMESPACE_ATTRIBUTE} to another namespace: ${existing}`);
  }
  return `<svg${attributes}`;
}

/** Drops every existing credential element (and the line break after it) so one image keeps one. */
function removeCredentialElements(svg: string): string {
  let out = '';
  let from = 0;
  let tag = findElement(svg, ELEMENT, from);
  while (tag) {
    let end = tag.end;
    if (!tag.selfClosing) {
      const close = findEndTag(svg, ELEMENT, tag.end);
      if (!close) throw new SvgFormatError(`<${ELEMENT}> is never closed`);
      end = close.end;
    }
    if (svg[end] === '\n') end += 1;
    out += svg.slice(from, tag.start);
    from = end;
    tag = findElement(svg, ELEMENT, from);
  }
  return out + svg.slice(from);
}

/**
 * Finds the next start tag named `name` (or any start tag when `name` is null) at or after `from`,
 * stepping over comments, CDATA sections, processing instructions and declarations.
 */
function findElement(svg: string, name: string | null, from: number): StartTag | null {
  let at = svg.indexOf('<', from);
  while (at >= 0) {
    const skipTo = skipNonElement(svg, at);
    if (skipTo !== null) {
      at = svg.indexOf('<', skipTo);
      continue;
    }
    const tag = readStartTag(svg, at);
    if (tag && (name === null || tag.name === name)) return tag;
    at = svg.indexOf('<', at + 1);
  }
  return null;
}

/** When `<` at `at` opens a comment, CDATA, declaration or end tag, returns where it ends. */
function skipNonElement(svg: string, at: number): number | null {
  const skipPast = (terminator: string): number => {
    const end = svg.indexOf(terminator, at);
    if (end < 0) throw new SvgFormatError(`Unterminated markup at character ${at}`);
    return end + terminator.length;
  };
  if (svg.startsWith('<!--', at)) return skipPast('-->');
  if (svg.startsWith('<![CDATA[', at)) return skipPast(']]>');
  if (svg.startsWith('<?', at)) return skipPast('?>');
  if (svg.startsWith('<!', at)) return skipDeclaration(svg, at);
  if (svg.startsWith('</', at)) return skipPast('>');
  return null;
}

/** A doctype may hold an internal subset in brackets, which can itself contain `>`. */
function skipDeclaration(svg: string, at: number): number {
  const close = svg.indexOf('>', at);
  const bracket = svg.indexOf('[', at);
  if (bracket >= 0 && (close < 0 || bracket < close)) {
    const subsetEnd = svg.indexOf(']', bracket);
    const end = subsetEnd < 0 ? -1 : svg.indexOf('>', subsetEnd);
    if (end < 0) throw new SvgFormatError(`Unterminated declaration at character ${at}`);
    return end + 1;
  }
  if (close < 0) throw new SvgFormatError(`Unterminated declaration at character ${at}`);
  return close + 1;
}

/** Reads the start tag whose `<` is at `at`, honouring quoted attribute values that contain `>`. */
function readStartTag(svg: string, at: number): StartTag | null {
  let nameEnd = at + 1;
  while (nameEnd < svg.length && isNameChar(svg.charCodeAt(nameEnd))) nameEnd += 1;
  if (nameEnd === at + 1) return null;
  const name = svg.slice(at + 1, nameEnd);

  let i = nameEnd;
  while (i < svg.length) {
    const ch = svg[i];
    if (ch === '"' || ch === "'") {
      const closeQuote = svg.indexOf(ch, i + 1);
      if (closeQuote < 0) throw new SvgFormatError(`Unterminated attribute value in <${name}>`);
      i = closeQuote + 1;
      continue;
    }
    if (ch === '>') {
      const selfClosing = svg[i - 1] === '/';
      const attributes = svg.slice(nameEnd, selfClosing ? i - 1 : i);
      return { name, start: at, end: i + 1, attributes, selfClosing };
    }
    i += 1;
  }
  throw new SvgFormatError(`Unterminated start tag <${name}>`);
}

function isNameChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x3a || // :
    code === 0x5f || // _
    code === 0x2d || // -
    code === 0x2e || // .
    code > 0x7f
  );
}

/** Finds `</name>` (whitespace allowed before `>`) at or after `from`, skipping comments and CDATA. */
function findEndTag(svg: string, name: string, from: number): { start: number; end: number } | null {
  let at = svg.indexOf('<', from);
  while (at >= 0) {
    if (svg.startsWith('<!--', at) || svg.startsWith('<![CDATA[', at)) {
      at = svg.indexOf('<', skipNonElement(svg, at) ?? at + 1);
      continue;
    }
    if (svg.startsWith(`</${name}`, at)) {
      let i = at + 2 + name.length;
      while (isXmlSpace(svg[i])) i += 1;
      if (svg[i] === '>') return { start: at, end: i + 1 };
    }
    at = svg.indexOf('<', at + 1);
  }
  return null;
}

function isXmlSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

/**
 * Returns the raw (still escaped) value of attribute `name` in a start tag's attribute text, or null.
 * Accepts either quote style and whitespace around `=`.
 */
function readAttribute(attributes: string, name: string): string | null {
  let i = 0;
  while (i < attributes.length) {
    while (isXmlSpace(attributes[i])) i += 1;
    const nameStart = i;
    while (i < attributes.length && isNameChar(attributes.charCodeAt(i))) i += 1;
    if (i === nameStart) return null; // stray character: no further attributes can be read
    const attributeName = attributes.slice(nameStart, i);
    while (isXmlSpace(attributes[i])) i += 1;
    if (attributes[i] !== '=') continue; // attribute without a value; not valid XML, so skip it
    i += 1;
    while (isXmlSpace(attributes[i])) i += 1;
    const quote = attributes[i];
    if (quote !== '"' && quote !== "'") return null;
    const close = attributes.indexOf(quote, i + 1);
    if (close < 0) return null;
    if (attributeName === name) return attributes.slice(i + 1, close);
    i = close + 1;
  }
  return null;
}

/**
 * Joins the element's CDATA sections and (unescaped) text. Whitespace-only text around sections is
 * layout, not data, so it is dropped.
 */
function readContent(content: string): string {
  const pieces: { text: string; cdata: boolean }[] = [];
  let at = 0;
  while (at < content.length) {
    const open = content.indexOf('<![CDATA[', at);
    pieces.push({ text: decodeEntities(content.slice(at, open < 0 ? content.length : open)), cdata: false });
    if (open < 0) break;
    const close = content.indexOf(']]>', open + 9);
    if (close < 0) throw new SvgFormatError('Unterminated CDATA section in the baked credential');
    pieces.push({ text: content.slice(open + 9, close), cdata: true });
    at = close + 3;
  }
  if (!pieces.some((piece) => piece.cdata))
    return pieces
      .map((piece) => piece.text)
      .join('')
      .trim();
  return pieces
    .filter((piece) => piece.cdata || piece.text.trim() !== '')
    .map((piece) => piece.text)
    .join('');
}

/** Replaces the predefined XML entities and numeric character references. */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  let out = '';
  let at = 0;
  while (at < text.length) {
    const amp = text.indexOf('&', at);
    if (amp < 0) {
      out += text.slice(at);
      break;
    }
    out += text.slice(at, amp);
    const semi = text.indexOf(';', amp);
    // Entity names are short; a far-away `;` means a stray `&`, which is kept as is.
    if (semi < 0 || semi - amp > 12) {
      out += '&';
      at = amp + 1;
      continue;
    }
    out += decodeEntity(text.slice(amp + 1, semi)) ?? text.slice(amp, semi + 1);
    at = semi + 1;
  }
  return out;
}

function decodeEntity(name: string): string | null {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  if (name in named) return named[name] ?? null;
  const isHex = name.startsWith('#x') || name.startsWith('#X');
  const digits = isHex ? name.slice(2) : name.startsWith('#') ? name.slice(1) : '';
  if (!digits || !(isHex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return null;
  const code = Number.parseInt(digits, isHex ? 16 : 10);
  return code <= 0x10ffff ? String.fromCodePoint(code) : null;
}
