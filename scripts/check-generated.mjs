// CI gate: the committed generated files must equal what `npm run generate` produces now.
import { execFileSync } from 'node:child_process';

const generated = ['openapi/types.gen.ts', 'openapi/schemas.gen.ts', 'infra/terraform/openapi.gen.json.tftpl', 'openapi/http-api.gen.json', 'infra/terraform/http-api.gen.json.tftpl'];
execFileSync('npm', ['run', '--silent', 'generate'], { stdio: 'inherit' });
const diff = execFileSync('git', ['status', '--porcelain', '--', ...generated], { encoding: 'utf8' });
if (diff.trim()) {
  console.error(`Generated files are stale; run \`npm run generate\` and commit:\n${diff}`);
  process.exit(1);
}
console.log('generated files are up to date');
