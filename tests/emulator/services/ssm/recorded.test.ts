/**
 * The embedded Parameter Store (services/ssm/) against what AWS answered LocalStack's AWS-validated tests
 * (test_ssm.py): how GetParameter and GetParameters find a name, and which names they refuse.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { GetParameterCommand, GetParametersCommand, SSMClient, SSMServiceException } from '@aws-sdk/client-ssm';
import { SsmParameters } from '../../../../emulator/services/ssm/parameters.js';
import { startSsm } from '../../../../emulator/services/ssm/server.js';
import { TEST_CREDENTIALS } from '../../../support/local-credentials.js';

const store = new SsmParameters(
  [
    { logicalId: 'Flat', name: 'flat-param', type: 'String', value: '123' },
    { logicalId: 'Deep', name: '/team/b/c', type: 'String', value: '123' },
  ],
  { region: 'us-east-1', accountId: '123456789012', now: () => Date.UTC(2026, 11, 6) },
);
const server = await startSsm(store, { credentials: TEST_CREDENTIALS, log: () => undefined });
const ssm = new SSMClient({ region: 'us-east-1', endpoint: server.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
afterAll(async () => {
  ssm.destroy();
  await server.close();
});

describe('LS-rec test_put_parameters: a one-level name with a leading slash', () => {
  it('GetParameter and GetParameters of /flat-param find flat-param, answered under the name asked for', async () => {
    const one = await ssm.send(new GetParameterCommand({ Name: '/flat-param' }));
    const many = await ssm.send(new GetParametersCommand({ Names: ['/flat-param'] }));

    expect(one.Parameter).toMatchObject({ Name: '/flat-param', Value: '123' });
    expect(many.Parameters).toMatchObject([{ Name: '/flat-param', Value: '123' }]);
    expect(many.InvalidParameters).toEqual([]);
  });

  it('the ARN of flat-param with a version selector is answered under its own name', async () => {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: 'arn:aws:ssm:us-east-1:123456789012:parameter/flat-param:1' }));
    expect(Parameter).toMatchObject({ Name: 'flat-param', Value: '123', Selector: ':1' });
  });
});

describe('LS-rec test_hierarchical_parameter: a hierarchy not fully qualified or with empty levels', () => {
  it.each(['/team//b//c', 'team/b/c'])('GetParameter of %j: ValidationException about sub-paths, not ParameterNotFound', async (name) => {
    const outcome = await ssm.send(new GetParameterCommand({ Name: name })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(outcome).toBeInstanceOf(SSMServiceException);
    const error = outcome as SSMServiceException;
    expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({ name: 'ValidationException', status: 400 });
    expect(error.message).toMatch(/sub-paths divided by slash symbol/);
  });

  it('the fully qualified name is found', async () => {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/team/b/c' }));
    expect(Parameter).toMatchObject({ Name: '/team/b/c', Value: '123' });
  });
});
