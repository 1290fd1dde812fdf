/**
 * YAML 1.2 wants the lines of a multi-line flow collection (`[...]`, `{...}`) indented deeper than the key that holds
 * it. PyYAML (the SAM CLI) and CloudFormation do not: templates like
 *
 *     CustomStatements: [{
 *       "Effect": "Allow"
 *     }]
 *
 * with the closing `}]` under the key deploy fine; so does a multi-line quoted scalar whose lines start under its key
 * (a mapping template written `application/json: "#set(...) \` with its next lines at the key's column). Inside a flow
 * collection indentation carries no meaning, and a quoted scalar drops its continuation lines' leading spaces, so
 * indenting those lines further changes nothing but makes the text acceptable to a strict reader.
 */

const BLOCK_SCALAR = /^(\s*)(?:- +)*(?:[^#\s][^#]*?:\s+)?(?:!\S*\s+)?[|>][-+0-9]*\s*(?:#.*)?$/;
const FLOW_START = /^(\s*)((?:- +)*)(?:(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[{][^#]*?):\s+)?(?:!\S*\s+)?(?=[[{"'])/;

/** The text with every continuation line of a multi-line flow collection or quoted scalar indented past the key that opens it. */
export function indentFlowContinuations(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let blockScalarIndent: number | undefined;
  let flow: FlowScan | undefined;
  let pad = '';
  for (const line of lines) {
    if (flow) {
      out.push(pad + line);
      flow.scan(line, 0);
      if (!flow.open) flow = undefined;
      continue;
    }
    const indent = line.length - line.trimStart().length;
    if (blockScalarIndent !== undefined) {
      if (line.trim() === '' || indent > blockScalarIndent) {
        out.push(line);
        continue;
      }
      blockScalarIndent = undefined;
    }
    out.push(line);
    if (BLOCK_SCALAR.test(line)) {
      blockScalarIndent = indent;
      continue;
    }
    const start = FLOW_START.exec(line);
    if (!start) continue;
    const scan = new FlowScan();
    scan.scan(line, start[0].length);
    if (scan.open) {
      flow = scan;
      pad = ' '.repeat(indent + (start[2]?.length ?? 0) + 1);
    }
  }
  return out.join('\n');
}

/** Bracket depth through flow content, skipping quoted scalars and comments; quotes may span lines. */
class FlowScan {
  depth = 0;
  private quote: '"' | "'" | undefined;

  /** Inside a collection or a quoted scalar that has not closed yet. */
  get open(): boolean {
    return this.depth > 0 || this.quote !== undefined;
  }

  scan(line: string, from: number): void {
    for (let i = from; i < line.length; i += 1) {
      const c = line[i];
      if (this.quote === '"') {
        if (c === '\\') i += 1;
        else if (c === '"') this.quote = undefined;
      } else if (this.quote === "'") {
        if (c === "'" && line[i + 1] === "'") i += 1;
        else if (c === "'") this.quote = undefined;
      } else if (c === '"' || c === "'") this.quote = c;
      else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) return;
      else if (c === '[' || c === '{') this.depth += 1;
      else if (c === ']' || c === '}') this.depth -= 1;
      // The collection closed: what follows on the line is block context again.
      if (this.depth === 0 && !this.quote) return;
    }
  }
}
