/**
 * The gitignored local folder (default `<repo>/.local/`) that keeps values AWS would generate once and then
 * keep (API key values, Cognito signing keys, generated secrets) stable across emulator restarts and shared
 * with the CLI tools (`npm run token`, `npm run keys`, `npm run usage`), and the usage-plan usage API Gateway
 * would keep per key and day.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The stores kept in the folder, one JSON file each. */
export type LocalStore = 'api-keys' | 'cognito-keys' | 'secrets' | 'usage' | 'credentials';

/** Environment variable that moves the local folder (tests, several checkouts sharing one template). */
export const LOCAL_DIR_ENV = 'TASK_API_LOCAL_DIR';

/** Default local folder for a template: `.local/` next to template.yaml, unless TASK_API_LOCAL_DIR is set. */
export function localDirFor(templatePath: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[LOCAL_DIR_ENV];
  return fromEnv ? resolve(fromEnv) : join(dirname(resolve(templatePath)), '.local');
}

/** Stable local values: created on first use, reused afterwards; files are 0600, the folder 0700. */
export class LocalState {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** Path of a store's file (for messages and tests). */
  fileOf(store: LocalStore): string {
    return join(this.dir, `${store}.json`);
  }

  /** The value kept under `key`, or the one `create` makes now (then persisted). */
  getOrCreate<T>(store: LocalStore, key: string, create: () => T): T {
    const existing = this.read(store);
    if (Object.hasOwn(existing, key)) return existing[key] as T;
    const value = create();
    // Re-read just before writing: the emulator and a CLI tool may both be creating values.
    const latest = this.read(store);
    if (Object.hasOwn(latest, key)) return latest[key] as T;
    latest[key] = value;
    this.write(store, latest);
    return value;
  }

  /** The whole store (an empty object when its file does not exist yet). */
  read(store: LocalStore): Record<string, unknown> {
    const file = this.fileOf(store);
    if (!existsSync(file)) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file}: not valid JSON (${(error as Error).message}); delete it to regenerate local values`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error(`${file}: expected a JSON object of local values; delete it to regenerate them`);
    }
    return parsed as Record<string, unknown>;
  }

  /** Replaces the whole store, atomically (write to a temporary file, then rename). */
  write(store: LocalStore, data: Record<string, unknown>): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = this.fileOf(store);
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, file);
  }
}
