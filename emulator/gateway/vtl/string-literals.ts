/**
 * Velocity 1.7 reads a quote written twice inside a string literal as one quote of that kind: `"{""id"": 1}"` is
 * `{"id": 1}` and `'it''s'` is `it's` (templates build a JSON document in `#set` that way before
 * `$util.base64Encode` for Kinesis and Firehose; AWS answers it, as LocalStack's validated WebSocket-to-Kinesis test
 * records). velocityjs reads the pair as the end of one literal and the start of the next, and does not parse the
 * template. Its own escape for a quote inside a literal is a backslash, so the pairs are written that way for it.
 */

/** Directives whose parentheses hold Velocity expressions, where string literals are. */
const DIRECTIVE_ARGUMENTS = /#\{?(?:set|if|elseif|foreach|macro|define)\}?[ \t]*(?=\()/y;
const REFERENCE = /\$!?\{?[A-Za-z_][\w-]*/y;
const PROPERTY = /\.[A-Za-z_][\w-]*/y;
/** Text Velocity copies as it is: comments, unparsed blocks, escaped `$` and `#`. */
const VERBATIM = /##[^\n]*|#\*[\s\S]*?\*#|#\[\[[\s\S]*?\]\]#|\\[$#]/y;

function sticky(regex: RegExp, text: string, at: number): string | undefined {
  regex.lastIndex = at;
  return regex.exec(text)?.[0];
}

/** The literal opening at `start`, its doubled quotes backslash-escaped; `end` is the index after its closing quote. */
function literal(text: string, start: number): { out: string; end: number } {
  const quote = text[start] as string;
  let out = quote;
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === quote && text[i + 1] === quote) {
      out += `\\${quote}`;
      i += 2;
    } else if (ch === '\\' && text[i + 1] === quote) {
      // velocityjs's own escape, kept as it is.
      out += text.slice(i, i + 2);
      i += 2;
    } else {
      out += ch;
      i += 1;
      if (ch === quote) break;
    }
  }
  return { out, end: i };
}

/** The bracketed expression opening at `start` (`(`, `[` or `{`), through its matching close. */
function expression(text: string, start: number): { out: string; end: number } {
  let out = '';
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"' || ch === "'") {
      const lit = literal(text, i);
      out += lit.out;
      i = lit.end;
      continue;
    }
    out += ch;
    i += 1;
    if ('([{'.includes(ch)) depth += 1;
    else if (')]}'.includes(ch) && (depth -= 1) === 0) break;
  }
  return { out, end: i };
}

/** The template with each doubled quote inside a string literal written as velocityjs's escaped quote. */
export function doubledQuotesEscaped(template: string): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const verbatim = sticky(VERBATIM, template, i);
    const directive = verbatim === undefined ? sticky(DIRECTIVE_ARGUMENTS, template, i) : undefined;
    const reference = verbatim === undefined && directive === undefined ? sticky(REFERENCE, template, i) : undefined;
    const head = verbatim ?? directive ?? reference;
    if (head === undefined) {
      out += template[i];
      i += 1;
      continue;
    }
    out += head;
    i += head.length;
    if (directive !== undefined) {
      const args = expression(template, i);
      out += args.out;
      i = args.end;
    }
    // A reference's method arguments and indexes are expressions too: `$util.urlEncode("a""b")`, `$m["k"]`.
    while (reference !== undefined && i < template.length) {
      const property = sticky(PROPERTY, template, i);
      if (property !== undefined) {
        out += property;
        i += property.length;
      } else if (template[i] === '(' || template[i] === '[') {
        const args = expression(template, i);
        out += args.out;
        i = args.end;
      } else break;
    }
  }
  return out;
}
