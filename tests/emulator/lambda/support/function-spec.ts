/** A FunctionSpec for tests that read one without running it (app.handler, 3 s, 128 MB), with `overrides` applied. */
import type { FunctionSpec } from '../../../../emulator/template/model.js';

export const functionSpec = (logicalId: string, overrides: Partial<FunctionSpec> = {}): FunctionSpec => ({
  logicalId,
  functionName: logicalId,
  arn: `arn:aws:lambda:us-east-1:123456789012:function:${logicalId}`,
  codeDir: '/code',
  handler: 'app.handler',
  runtime: 'nodejs20.x',
  architectures: ['x86_64'],
  timeoutSeconds: 3,
  memorySizeMb: 128,
  environment: {},
  ...overrides,
});
