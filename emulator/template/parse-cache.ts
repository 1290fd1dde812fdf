/**
 * Parsed YAML kept as JSON, keyed by the text's hash: the YAML reader takes a large share of the start-up time
 * (a contract of a few thousand lines), and JSON.parse reads the same value many times faster. Only results that
 * JSON holds exactly are kept (not .inf or .nan, for instance); anything else is parsed every time.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

/** Bumped whenever the parser's output for a given text changes (its options or tags in cfn-yaml.ts). */
const FORMAT = 1;
/** Where parsed files are kept (the temp folder: the key is the text itself, so every project may share it). */
export const PARSE_CACHE_DIR = join(tmpdir(), 'sam-emulator-yaml');

/** The file that keeps what `text` parses to. */
export function parseCacheFile(text: string, shortTags: boolean): string {
  const key = createHash('sha256').update(`${FORMAT}\0${shortTags}\0${text}`).digest('hex').slice(0, 32);
  return join(PARSE_CACHE_DIR, `${key}.json`);
}

/** The value parsed from `text`, from the cache when it holds it; else parse() it, and keep it when parse says so and JSON can. */
export function cachedParse(text: string, shortTags: boolean, parse: () => { value: unknown; keep: boolean }): unknown {
  const file = parseCacheFile(text, shortTags);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    // Not cached yet (or unreadable): parse.
  }
  const { value, keep } = parse();
  const json = keep ? JSON.stringify(value) : undefined;
  if (json !== undefined && isDeepStrictEqual(JSON.parse(json), value)) {
    try {
      mkdirSync(PARSE_CACHE_DIR, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, json);
      renameSync(temporary, file);
    } catch {
      // A cache that cannot be written only costs the next start its time.
    }
  }
  return value;
}
