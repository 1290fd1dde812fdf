/** The simple JSONPath subset mapping templates rely on (R3.8): $, .name, ['name'], [n], [*], .* */

type Step = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

function parsePath(path: string): Step[] {
  let rest = path.trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  const steps: Step[] = [];
  const token = /^(?:\.([A-Za-z0-9_$@:-]+)|\.\*|\[\*\]|\[\s*(-?\d+)\s*\]|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\])/;
  if (rest !== '' && !rest.startsWith('.') && !rest.startsWith('[')) rest = `.${rest}`;
  while (rest !== '') {
    const m = token.exec(rest);
    if (!m) throw new Error(`unsupported JSONPath "${path}" near "${rest}" (only $, .name, ['name'], [n], [*] are supported)`);
    if (m[1] !== undefined) steps.push({ kind: 'key', key: m[1] });
    else if (m[2] !== undefined) steps.push({ kind: 'index', index: Number(m[2]) });
    else if (m[3] !== undefined || m[4] !== undefined) steps.push({ kind: 'key', key: (m[3] ?? m[4]) as string });
    else steps.push({ kind: 'wildcard' });
    rest = rest.slice(m[0].length);
  }
  return steps;
}

/** Evaluates a simple JSONPath; undefined when the path does not exist. A wildcard yields a list. */
export function evaluateJsonPath(root: unknown, path: string): unknown {
  let values: unknown[] = [root];
  let multi = false;
  for (const step of parsePath(path)) {
    const next: unknown[] = [];
    for (const v of values) {
      if (step.kind === 'wildcard') {
        if (Array.isArray(v)) next.push(...v);
        else if (v !== null && typeof v === 'object') next.push(...Object.values(v));
        multi = true;
      } else if (step.kind === 'index') {
        if (Array.isArray(v)) next.push(v[step.index < 0 ? v.length + step.index : step.index]);
      } else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, step.key)) {
        next.push((v as Record<string, unknown>)[step.key]);
      }
    }
    values = next.filter((x) => x !== undefined);
  }
  return multi ? values : values[0];
}
