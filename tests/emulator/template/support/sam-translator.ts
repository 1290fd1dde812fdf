/** samtranslator's word on templates (scripts/sam_translate.py), several in one Python start-up. */
import { execFileSync } from "node:child_process";

type Json = Record<string, unknown>;

/** Each template's translation, or the message SAM refuses it with (what sam_translate.py prints on stderr). */
const BATCH = [
  "import contextlib, io, json, sys",
  "sys.path.insert(0, 'scripts')",
  "from sam_translate import translated",
  "out = {}",
  "for path in sys.argv[1:]:",
  "    err = io.StringIO()",
  "    try:",
  "        with contextlib.redirect_stderr(err):",
  "            out[path] = {'template': translated(path)}",
  "    except SystemExit:",
  "        out[path] = {'refused': err.getvalue().strip()}",
  "json.dump(out, sys.stdout)",
].join("\n");

/** For each template file: samtranslator's CloudFormation, or its refusal ("SAM translator: <its message>"). */
export function samTranslations(
  files: string[],
): Record<string, { template?: Json; refused?: string }> {
  return JSON.parse(
    execFileSync("python3", ["-c", BATCH, ...files], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    }),
  ) as Record<string, { template?: Json; refused?: string }>;
}

/** For each template: 'translated', or what samtranslator refuses it with ("SAM translator: <its message>"). */
export function samTranslatorSays(files: string[]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(samTranslations(files)).map(([file, said]) => [
      file,
      said.refused ?? "translated",
    ]),
  );
}
