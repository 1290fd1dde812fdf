/** `npm run bundle`: the esbuild bundles CDK and Terraform deploy, in infra/build/functions/<handler>/. */
import { relative } from 'node:path';
import { bundleFunctions, DEFAULT_BUNDLE_DIR } from '../infra/bundle.js';

const names = await bundleFunctions(DEFAULT_BUNDLE_DIR);
console.log(`bundled ${names.join(', ')} into ${relative(process.cwd(), DEFAULT_BUNDLE_DIR)}/`);
