/** The XML S3's REST API speaks: escaped text in elements, and the few request documents it reads (DeleteObjects). */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text as XML character data; characters XML 1.0 cannot carry at all (control characters) as numeric references, as S3 writes them. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const xmlElement = (name: string, value: string | number | boolean): string => `<${name}>${escapeXml(String(value))}</${name}>`;

export const xmlDocument = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ENTITIES[e.toLowerCase()]!,
  );
}

/**
 * Each `<name>…</name>` directly inside the text (no nesting of the same name), its content as written. One pass: an
 * element left open ends the search (a lazy pattern rescanned the rest of the text for each one, quadratic on a
 * client's body of unclosed tags).
 */
export function elements(xml: string, name: string): string[] {
  const out: string[] = [];
  const open = new RegExp(`<${name}(?:\\s[^>]{0,256})?>`, 'g');
  const close = `</${name}>`;
  for (;;) {
    const start = open.exec(xml);
    if (!start) return out;
    const contentAt = start.index + start[0].length;
    const end = xml.indexOf(close, contentAt);
    if (end < 0) return out;
    out.push(xml.slice(contentAt, end));
    open.lastIndex = end + close.length;
  }
}

/** The text of the first `<name>` element, unescaped; undefined when there is none. */
export function elementText(xml: string, name: string): string | undefined {
  const first = elements(xml, name)[0];
  return first === undefined ? undefined : unescapeXml(first);
}
