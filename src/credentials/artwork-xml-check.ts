/**
 * A small, strict XML well-formedness checker for tests of badge artwork and baking. No XML parser is
 * installed, and string `includes` checks cannot tell a broken document from a good one; this checks
 * tag balance, attribute syntax, escaping, a single root and declared namespace prefixes.
 */

/**
 * Throws an Error describing the first well-formedness problem in `xml`; returns the name of the root
 * element when the document is well formed.
 */
export function assertWellFormedXml(xml: string): string {
  const open: { name: string; prefixes: Set<string> }[] = [];
  let root: string | undefined;
  let at = 0;
  const fail = (message: string): never => {
    throw new Error(`Malformed XML at ${at}: ${message}`);
  };
  const scopeHas = (prefix: string): boolean =>
    prefix === 'xml' || prefix === 'xmlns' || open.some((element) => element.prefixes.has(prefix));

  while (at < xml.length) {
    const lt = xml.indexOf('<', at);
    const text = xml.slice(at, lt < 0 ? xml.length : lt);
    checkText(text, open.length > 0, fail);
    if (lt < 0) break;
    at = lt;
    if (xml.startsWith('<!--', at)) {
      const end = xml.indexOf('-->', at + 4);
      if (end < 0) fail('unterminated comment');
      if (xml.slice(at + 4, end).includes('--')) fail('"--" inside a comment');
      at = end + 3;
    } else if (xml.startsWith('<![CDATA[', at)) {
      if (open.length === 0) fail('CDATA outside the root element');
      const end = xml.indexOf(']]>', at);
      if (end < 0) fail('unterminated CDATA');
      at = end + 3;
    } else if (xml.startsWith('<?', at)) {
      const end = xml.indexOf('?>', at);
      if (end < 0) fail('unterminated processing instruction');
      at = end + 2;
    } else if (xml.startsWith('<!DOCTYPE', at)) {
      if (root !== undefined) fail('doctype after the root element');
      const end = xml.indexOf('>', at);
      if (end < 0) fail('unterminated doctype');
      at = end + 1;
    } else if (xml.startsWith('</', at)) {
      const end = xml.indexOf('>', at);
      if (end < 0) fail('unterminated end tag');
      const name = xml.slice(at + 2, end).trim();
      const top = open.pop();
      if (!top || top.name !== name) fail(`end tag </${name}> does not match <${top?.name ?? 'nothing'}>`);
      at = end + 1;
    } else {
      const tag = readTag(xml, at, fail);
      if (open.length === 0) {
        if (root !== undefined) fail(`second root element <${tag.name}>`);
        root = tag.name;
      }
      const prefixes = new Set<string>();
      for (const [attribute] of tag.attributes) {
        if (attribute.startsWith('xmlns:')) prefixes.add(attribute.slice(6));
      }
      open.push({ name: tag.name, prefixes });
      for (const name of [tag.name, ...tag.attributes.keys()]) {
        const colon = name.indexOf(':');
        if (colon > 0 && !scopeHas(name.slice(0, colon))) fail(`undeclared prefix in ${name}`);
      }
      if (tag.selfClosing) open.pop();
      at = tag.end;
    }
  }
  if (open.length > 0) fail(`<${open.at(-1)?.name}> is never closed`);
  if (root === undefined) fail('no root element');
  return root as string;
}

function readTag(
  xml: string,
  start: number,
  fail: (message: string) => never,
): { name: string; attributes: Map<string, string>; end: number; selfClosing: boolean } {
  const nameMatch = /^<([A-Za-z_][\w.:-]*)/.exec(xml.slice(start, start + 200));
  if (!nameMatch?.[1]) return fail('raw "<" that does not start a tag');
  const name = nameMatch[1];
  const attributes = new Map<string, string>();
  let i = start + 1 + name.length;
  while (i < xml.length) {
    const spaceStart = i;
    while (/\s/.test(xml[i] ?? '')) i += 1;
    if (xml.startsWith('/>', i)) return { name, attributes, end: i + 2, selfClosing: true };
    if (xml[i] === '>') return { name, attributes, end: i + 1, selfClosing: false };
    if (i === spaceStart) fail(`missing space before attribute in <${name}>`);
    const attrMatch = /^([A-Za-z_][\w.:-]*)\s*=\s*(["'])/.exec(xml.slice(i, i + 300));
    if (!attrMatch?.[1] || !attrMatch[2]) return fail(`bad attribute syntax in <${name}>`);
    const valueStart = i + attrMatch[0].length;
    const valueEnd = xml.indexOf(attrMatch[2], valueStart);
    if (valueEnd < 0) fail(`unterminated attribute value in <${name}>`);
    const value = xml.slice(valueStart, valueEnd);
    if (value.includes('<')) fail(`raw "<" in attribute ${attrMatch[1]}`);
    checkReferences(value, fail);
    if (attributes.has(attrMatch[1])) fail(`duplicate attribute ${attrMatch[1]}`);
    attributes.set(attrMatch[1], value);
    i = valueEnd + 1;
  }
  return fail(`unterminated start tag <${name}>`);
}

function checkText(text: string, insideRoot: boolean, fail: (message: string) => never): void {
  if (!insideRoot && text.trim() !== '') fail('text outside the root element');
  if (text.includes(']]>')) fail('"]]>" in text');
  checkReferences(text, fail);
}

function checkReferences(text: string, fail: (message: string) => never): void {
  let amp = text.indexOf('&');
  while (amp >= 0) {
    if (!/^&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/.test(text.slice(amp, amp + 12))) {
      fail(`bare "&" not starting an entity: ${text.slice(amp, amp + 12)}`);
    }
    amp = text.indexOf('&', amp + 1);
  }
}
