/** samtranslator's word on templates (scripts/sam_translate.py), several in one Python start-up. */
import { execFileSync } from "node:child_process";

const BATCH = `
import contextlib, io, json, sys
sys.path.insert(0, 'scripts')
from sam_translate import translated
out = {}
for path in sys.argv[1:]:
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            translated(path)
        out[path] = 'translated'
    except SystemExit:
        out[path] = err.getvalue().strip()
print(json.dumps(out))
`;

/** For each template: 'translated', or what samtranslator refuses it with ("SAM translator: <its message>"). */
export function samTranslatorSays(files: string[]): Record<string, string> {
  return JSON.parse(
    execFileSync("python3", ["-c", BATCH, ...files], { encoding: "utf8" }),
  ) as Record<string, string>;
}
