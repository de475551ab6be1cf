// A minimal XML well-formedness check for the SVG tests (no parser dependency): one root element,
// every tag closed in order, attributes quoted and not repeated, only the five predefined entities
// or character references, no character XML 1.0 forbids. Throws with the offset of the first fault.

const name = '[A-Za-z_:][-A-Za-z0-9_:.]*';
const attribute = new RegExp(`\\s+(${name})\\s*=\\s*("[^"<]*"|'[^'<]*')`, 'y');
const tagStart = new RegExp(`<(/?)(${name})`, 'y');
const reference = /&(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 forbids
const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/** Returns the root element's name; throws when `xml` is not well-formed. */
export function checkWellFormed(xml: string): string {
  if (forbidden.test(xml)) throw new Error(`forbidden character at ${xml.search(forbidden)}`);
  let i = 0;
  const declaration = /^<\?xml\s[^?]*\?>/.exec(xml);
  if (declaration) i = declaration[0].length;
  const stack: string[] = [];
  let root: string | undefined;
  while (i < xml.length) {
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) throw new Error(`unclosed comment at ${i}`);
      i = end + 3;
      continue;
    }
    if (xml[i] === '<') {
      tagStart.lastIndex = i;
      const start = tagStart.exec(xml);
      if (!start) throw new Error(`bad markup at ${i}: ${xml.slice(i, i + 30)}`);
      const [, closing, tag] = start;
      let j = tagStart.lastIndex;
      const seen = new Set<string>();
      for (;;) {
        attribute.lastIndex = j;
        const attr = attribute.exec(xml);
        if (!attr) break;
        if (closing) throw new Error(`attribute on closing tag at ${j}`);
        if (seen.has(attr[1]!)) throw new Error(`repeated attribute ${attr[1]} at ${j}`);
        seen.add(attr[1]!);
        checkReferences(attr[2]!.slice(1, -1), j);
        j = attribute.lastIndex;
      }
      const end = /\s*(\/?)>/y;
      end.lastIndex = j;
      const close = end.exec(xml);
      if (!close) throw new Error(`bad tag end at ${j}: ${xml.slice(j, j + 30)}`);
      if (closing) {
        if (close[1]) throw new Error(`bad closing tag at ${i}`);
        const open = stack.pop();
        if (open !== tag) throw new Error(`</${tag}> closes <${open}> at ${i}`);
      } else {
        if (stack.length === 0) {
          if (root !== undefined) throw new Error(`second root <${tag}> at ${i}`);
          root = tag;
        }
        if (!close[1]) stack.push(tag!);
      }
      i = end.lastIndex;
      continue;
    }
    const next = xml.indexOf('<', i);
    const text = xml.slice(i, next < 0 ? xml.length : next);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root at ${i}`);
    checkReferences(text, i);
    i = next < 0 ? xml.length : next;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)}>`);
  if (root === undefined) throw new Error('no root element');
  return root;
}

function checkReferences(text: string, offset: number): void {
  for (let k = text.indexOf('&'); k >= 0; k = text.indexOf('&', k + 1)) {
    reference.lastIndex = k;
    if (!reference.test(text))
      throw new Error(`bad entity reference at ${offset + k}: ${text.slice(k, k + 12)}`);
  }
  if (text.includes(']]>')) throw new Error(`"]]>" in text at ${offset}`);
}
