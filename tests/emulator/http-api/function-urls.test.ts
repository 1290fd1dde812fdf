/**
 * Lambda function URLs (template/function-urls.ts): SAM's FunctionUrlConfig and AWS::Lambda::Url served as an HTTP
 * API with one `$default` route, payload 2.0, as Lambda shows them: accountId "anonymous" without IAM, null path
 * parameters and stage variables, x-amzn-RequestId, a failed function 502, AWS_IAM signed for service `lambda`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpGateway } from '../../../emulator/gateway/http/pipeline.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { signedHeaders } from '../../support/sigv4-signer.js';
import { sendRequest } from '../conformance/harness.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';
import { echoedV2, httpHarness } from './harness.js';

/** Lambda's 403 body for a function URL, as AWS recorded it in LocalStack's validated tests. */
const FORBIDDEN = 'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html';

const FUNCTIONS = resolve('tests/emulator/fixtures/http-api/functions');
const dir = mkdtempSync(join(tmpdir(), 'function-urls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const template = join(dir, 'template.yaml');
writeFileSync(
  template,
  [
    'Transform: AWS::Serverless-2016-10-31',
    'Parameters: { AppName: { Type: String } }',
    'Globals:',
    `  Function: { CodeUri: '${FUNCTIONS}', Runtime: nodejs22.x }`,
    'Resources:',
    '  Echo:',
    '    Type: AWS::Serverless::Function',
    '    Properties: { Handler: echo.handler, FunctionUrlConfig: { AuthType: NONE, Cors: { AllowOrigins: [https://app.example] } } }',
    '  Thrower: { Type: AWS::Serverless::Function, Properties: { Handler: thrower.handler, FunctionUrlConfig: { AuthType: NONE } } }',
    '  Unbuilt: { Type: AWS::Serverless::Function, Properties: { Handler: not-there.handler, FunctionUrlConfig: { AuthType: NONE } } }',
    "  Named: { Type: AWS::Serverless::Function, Properties: { FunctionName: !Sub '${AppName}-function', Handler: echo.handler, FunctionUrlConfig: { AuthType: NONE } } }",
    '  Plain: { Type: AWS::Lambda::Function, Properties: { Handler: echo.handler, Runtime: nodejs22.x, Code: ., Role: arn:aws:iam::123456789012:role/r } }',
    '  PlainUrl: { Type: AWS::Lambda::Url, Properties: { TargetFunctionArn: !GetAtt Echo.Arn, AuthType: AWS_IAM } }',
    '  Orphan: { Type: AWS::Lambda::Url, Properties: { TargetFunctionArn: arn:aws:lambda:us-east-1:123456789012:function:elsewhere, AuthType: NONE } }',
    '  Bad: { Type: AWS::Lambda::Url, Properties: { TargetFunctionArn: !Ref Thrower, AuthType: OPEN } }',
    // AuthType NONE on plain resources: public only with the grants CDK's addFunctionUrl writes.
    `  Public: { Type: AWS::Lambda::Function, Properties: { Handler: echo.handler, Runtime: nodejs22.x, Code: '${FUNCTIONS}', Role: arn:aws:iam::123456789012:role/r } }`,
    '  PublicUrl: { Type: AWS::Lambda::Url, Properties: { TargetFunctionArn: !GetAtt Public.Arn, AuthType: NONE } }',
    "  PublicUrlGrant: { Type: AWS::Lambda::Permission, Properties: { Action: 'lambda:InvokeFunctionUrl', FunctionName: !GetAtt Public.Arn, Principal: '*', FunctionUrlAuthType: NONE } }",
    "  PublicInvokeGrant: { Type: AWS::Lambda::Permission, Properties: { Action: 'lambda:InvokeFunction', FunctionName: !Ref Public, Principal: '*', InvokedViaFunctionUrl: true } }",
    '  Closed: { Type: AWS::Lambda::Function, Properties: { Handler: echo.handler, Runtime: nodejs22.x, Code: ., Role: arn:aws:iam::123456789012:role/r } }',
    '  ClosedUrl: { Type: AWS::Lambda::Url, Properties: { TargetFunctionArn: !Ref Closed, AuthType: NONE } }',
    '  Half: { Type: AWS::Lambda::Function, Properties: { Handler: echo.handler, Runtime: nodejs22.x, Code: ., Role: arn:aws:iam::123456789012:role/r } }',
    '  HalfUrl: { Type: AWS::Lambda::Url, Properties: { TargetFunctionArn: !Ref Half, AuthType: NONE } }',
    "  HalfGrant: { Type: AWS::Lambda::Permission, Properties: { Action: 'lambda:InvokeFunctionUrl', FunctionName: !Ref Half, Principal: '*', FunctionUrlAuthType: NONE } }",
    "  IamOnlyGrant: { Type: AWS::Lambda::Permission, Properties: { Action: 'lambda:InvokeFunction', FunctionName: !Ref Half, Principal: '*', InvokedViaFunctionUrl: false } }",
    // A function told its neighbours' URLs: SAM's generated <Function>Url, and a plain AWS::Lambda::Url.
    '  Caller: { Type: AWS::Serverless::Function, Properties: { Handler: echo.handler, Environment: { Variables: { SAM_URL: !GetAtt EchoUrl.FunctionUrl, PLAIN_URL: !GetAtt PlainUrl.FunctionUrl } } } }',
  ].join('\n'),
);
const loaded = await loadTemplate(template);

describe('function URLs in the template', () => {
  it.each([
    { variable: 'SAM_URL', url: 'EchoUrl' },
    { variable: 'PLAIN_URL', url: 'PlainUrl' },
  ])('GetAtt $url.FunctionUrl is the URL`s address on AWS, whose id is the one served (functions reach it locally through it)', ({ variable, url }) => {
    const apiId = loaded.httpApis.find((a) => a.logicalId === url)!.apiId;

    expect(loaded.functions.get('Caller')!.environment[variable]).toBe(`https://${apiId}.lambda-url.us-east-1.on.aws/`);
    expect(apiId).toMatch(/^[a-z0-9]{32}$/);
  });

  it('SAM FunctionUrlConfig and AWS::Lambda::Url (GetAtt) each become one $default route to their function', () => {
    const urls = loaded.httpApis.filter((a) => a.functionUrl).map((a) => [a.logicalId, a.functionUrl, a.routes.map((r) => r.routeKey)]);
    expect(urls).toEqual([
      ['EchoUrl', { functionLogicalId: 'Echo', authType: 'NONE', invokeMode: 'BUFFERED' }, ['$default']],
      ['ThrowerUrl', { functionLogicalId: 'Thrower', authType: 'NONE', invokeMode: 'BUFFERED' }, ['$default']],
      ['UnbuiltUrl', { functionLogicalId: 'Unbuilt', authType: 'NONE', invokeMode: 'BUFFERED' }, ['$default']],
      ['NamedUrl', { functionLogicalId: 'Named', authType: 'NONE', invokeMode: 'BUFFERED' }, ['$default']],
      ['PlainUrl', { functionLogicalId: 'Echo', authType: 'AWS_IAM', invokeMode: 'BUFFERED' }, ['$default']],
      ['PublicUrl', { functionLogicalId: 'Public', authType: 'NONE', invokeMode: 'BUFFERED' }, ['$default']],
      ['ClosedUrl', { functionLogicalId: 'Closed', authType: 'NONE', invokeMode: 'BUFFERED', missingPermissions: ['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction'] }, ['$default']],
      ['HalfUrl', { functionLogicalId: 'Half', authType: 'NONE', invokeMode: 'BUFFERED', missingPermissions: ['lambda:InvokeFunction'] }, ['$default']],
    ]);
    expect(loaded.httpApis.find((a) => a.logicalId === 'EchoUrl')?.apiId).toMatch(/^[0-9a-z]{32}$/);
  });

  it('a URL whose function is not in the template, or with an AuthType Lambda refuses, is not served, each reported; the others are', () => {
    expect(loaded.notEmulated?.some((n) => n.startsWith('Resources.Orphan.Properties.TargetFunctionArn: names no function of this template'))).toBe(true);
    expect(loaded.notEmulated?.some((n) => n.includes('Resources.Bad.Properties.AuthType') && n.includes('must be NONE or AWS_IAM'))).toBe(true);
    const groups = (loaded.resources ?? []).filter((g) => g.type === 'AWS::Lambda::Url').map((g) => [g.status, g.logicalIds]);
    expect(groups).toEqual(expect.arrayContaining([['emulated', ['PlainUrl', 'PublicUrl', 'ClosedUrl', 'HalfUrl']], ['not-emulated', ['Orphan', 'Bad']]]));
  });
});

describe('two function URLs for one function and qualifier (Lambda keeps one: creating the second fails ResourceConflictException)', () => {
  it('are both served and said NOT EMULATED: the template`s AWS::Lambda::Url on Echo beside SAM`s EchoUrl; the URLs of other functions are not', () => {
    const conflicts = (loaded.notEmulated ?? []).filter((n) => n.includes('a second function URL'));

    expect(conflicts).toEqual([expect.stringMatching(/^Resources\.PlainUrl: a second function URL for Echo \(\$LATEST\), beside EchoUrl: .*ResourceConflictException/)]);
    expect(loaded.httpApis.filter((a) => a.functionUrl?.functionLogicalId === 'Echo').map((a) => a.logicalId)).toEqual(['EchoUrl', 'PlainUrl']);
  });

  const fnAndLatest = `Resources:\n  Fn: { Type: AWS::Serverless::Function, Properties: { CodeUri: '${FUNCTIONS}', Handler: echo.handler, Runtime: nodejs22.x, AutoPublishAlias: live } }\n  Latest: { Type: AWS::Lambda::Url, Properties: { TargetFunctionArn: !GetAtt Fn.Arn, AuthType: AWS_IAM } }\n`;
  it.each([
    { given: 'its Qualifier', live: 'TargetFunctionArn: !GetAtt Fn.Arn, Qualifier: live' },
    { given: "the alias's ARN (Ref of SAM's alias)", live: 'TargetFunctionArn: !Ref FnAliaslive' },
    { given: 'a name with the qualifier', live: 'TargetFunctionArn: !Sub "${Fn}:live"' },
  ])('neighbour: one URL on the function and one on its alias named by $given are two URLs Lambda keeps, nothing said', async ({ live }) => {
    const file = join(dir, 'alias.yaml');
    writeFileSync(file, `Transform: AWS::Serverless-2016-10-31\n${fnAndLatest}  Live: { Type: AWS::Lambda::Url, Properties: { ${live}, AuthType: AWS_IAM } }\n`);

    const t = await loadTemplate(file);

    expect(t.httpApis.map((a) => a.logicalId)).toEqual(['Latest', 'Live']);
    expect((t.notEmulated ?? []).filter((n) => n.includes('a second function URL'))).toEqual([]);
  });

  // AWS::Lambda::Url's schema (CloudFormation registry, as cfn-lint 1.51 carries it): TargetFunctionArn's qualifier
  // may not start with a digit and has no '$'; Qualifier may not be all digits. Lambda's URL qualifier is an alias.
  const ARN_RULE = 'none that starts with a digit or holds other than letters, digits, - and _: a version, $LATEST';
  it.each([
    { given: 'the Ref of an AWS::Lambda::Version (its ARN ends :1)', url: 'TargetFunctionArn: !Ref Ver', key: 'TargetFunctionArn', qualifier: '1', why: ARN_RULE },
    { given: 'an ARN with a version', url: 'TargetFunctionArn: !Sub "${Fn.Arn}:3"', key: 'TargetFunctionArn', qualifier: '3', why: ARN_RULE },
    { given: 'a name with $LATEST', url: 'TargetFunctionArn: !Sub "${Fn}:$LATEST"', key: 'TargetFunctionArn', qualifier: '$LATEST', why: ARN_RULE },
    // The pattern also refuses an alias whose name starts with a digit (Lambda's alias names may).
    { given: 'an alias whose name starts with a digit', url: 'TargetFunctionArn: !Sub "${Fn}:1live"', key: 'TargetFunctionArn', qualifier: '1live', why: ARN_RULE },
    { given: 'a version as Qualifier', url: "TargetFunctionArn: !Ref Fn, Qualifier: '2'", key: 'Qualifier', qualifier: '2', why: 'none of digits only: a version' },
  ])('a URL on $given is refused, as CloudFormation refuses it (a function URL is on a function or an alias): not served, said why', async ({ url, key, qualifier, why }) => {
    // Prepare
    const file = join(dir, 'version.yaml');
    writeFileSync(file, `Transform: AWS::Serverless-2016-10-31\n${fnAndLatest}  Ver: { Type: AWS::Lambda::Version, Properties: { FunctionName: !Ref Fn } }\n  OnVersion: { Type: AWS::Lambda::Url, Properties: { ${url}, AuthType: AWS_IAM } }\n`);

    // Act
    const t = await loadTemplate(file);

    // Assess
    expect(t.httpApis.map((a) => a.logicalId)).toEqual(['Latest']);
    expect((t.notEmulated ?? []).filter((n) => n.startsWith('Resources.OnVersion'))).toEqual([
      `Resources.OnVersion.Properties.${key}: names ${JSON.stringify(qualifier)} as the qualifier of Fn, which AWS::Lambda::Url's ${key} pattern refuses (${why}; a function URL is on the function or one of its aliases), so CloudFormation refuses the template; URL OnVersion is not served`,
    ]);
  });
});

describe('a function URL request', () => {
  it('reaches the function as Lambda sends it: payload 2.0, $default, accountId anonymous, no pathParameters nor stageVariables (events recorded from Lambda omit them; the Powertools TypeScript Router refuses them null)', async () => {
    // Prepare
    const h = await httpHarness('EchoUrl', template);

    // Act
    const got = await h.send({ method: 'POST', path: '/any/path?q=1', headers: [['content-type', 'text/plain']], body: 'hi' });

    // Assess
    const event = echoedV2(got) as unknown as Record<string, unknown> & { requestContext: Record<string, unknown> };
    expect(event).toMatchObject({ version: '2.0', routeKey: '$default', rawPath: '/any/path', rawQueryString: 'q=1', body: 'hi' });
    expect(Object.keys(event)).not.toContain('pathParameters');
    expect(Object.keys(event)).not.toContain('stageVariables');
    expect(event.requestContext).toMatchObject({ accountId: 'anonymous', routeKey: '$default', stage: '$default', apiId: h.api.apiId });
    // AuthType NONE: live events carry neither `authentication` nor `authorizer` (Lambda's table says null for both).
    expect(Object.keys(event.requestContext)).not.toContain('authentication');
    expect(Object.keys(event.requestContext)).not.toContain('authorizer');
    expect(got.headers.get('x-amzn-requestid')).toBe(event.requestContext.requestId);
    // One id: Lambda's invocation is the request's (AWS recorded x-amzn-RequestId = the function's request id).
    expect(h.invoker.calls.at(-1)?.requestId).toBe(event.requestContext.requestId);
    expect(got.headers.get('apigw-requestid')).toBeNull();
  });

  it('H4.3 keeps rawPath as sent but decodes requestContext.http.path, keeps the cookie header beside cookies, and has a UUID request id (a live Lambda event)', async () => {
    // Prepare
    const h = await httpHarness('EchoUrl', template);

    // Act
    const got = await h.send({ path: '/capture/space%20value?literalPlus=a+b', headers: [['cookie', 'session=abc123; theme=dark']] });

    // Assess
    const event = echoedV2(got);
    expect(event.rawPath).toBe('/capture/space%20value');
    expect(event.requestContext.http.path).toBe('/capture/space value');
    expect(event.rawQueryString).toBe('literalPlus=a+b');
    expect(event.cookies).toEqual(['session=abc123', 'theme=dark']);
    expect(event.headers.cookie).toBe('session=abc123; theme=dark');
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(got.headers.get('x-amzn-requestid')).toBe(event.requestContext.requestId);
  });

  it('H4.3 neighbour: an HTTP API decodes rawPath too and moves the cookie header to cookies only', async () => {
    const event = echoedV2(await (await httpHarness('ServerlessHttpApi')).send({ path: '/pets/dog/space%20value', headers: [['cookie', 'a=1']] }));
    expect(event.rawPath).toBe('/pets/dog/space value');
    expect(event.cookies).toEqual(['a=1']);
    expect(event.headers).not.toHaveProperty('cookie');
  });

  it('reaches its function when the function`s name holds a parameter given no value here', async () => {
    const h = await httpHarness('NamedUrl', template);
    expect(echoedV2(await h.send({ path: '/' })).routeKey).toBe('$default');
    expect(h.gateway.routes[0]).toMatchObject({ emulated: true, functionLogicalId: 'Named' });
  });

  it('answers a CORS preflight from its Cors configuration, without invoking the function', async () => {
    const h = await httpHarness('EchoUrl', template);
    const got = await h.send({ method: 'OPTIONS', path: '/', headers: [['origin', 'https://app.example'], ['access-control-request-method', 'POST']] });
    expect(got.status).toBe(204);
    expect(got.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(h.invoker.calls).toHaveLength(0);
  });

  it('an OPTIONS that is no preflight (no Access-Control-Request-Method) reaches the function', async () => {
    const h = await httpHarness('EchoUrl', template);
    const got = await h.send({ method: 'OPTIONS', path: '/', headers: [['origin', 'https://app.example']] });
    expect(echoedV2(got).requestContext.http.method).toBe('OPTIONS');
  });

  it('[AMBIGUOUS] a body that makes the event larger than Lambda`s 6 MB invocation limit answers 413 and invokes nothing', async () => {
    const h = await httpHarness('EchoUrl', template);
    const before = h.invoker.calls.length;

    const got = await h.send({ method: 'POST', path: '/', body: 'x'.repeat(6.5 * 1024 * 1024) });
    const under = await h.send({ method: 'POST', path: '/', body: 'x'.repeat(1024) });

    expect([got.status, under.status]).toEqual([413, 200]);
    expect(h.invoker.calls.length).toBe(before + 1);
  });

  it('an event over Lambda`s 6 MB limit is refused in Lambda`s words: {"Message": "Request must be smaller than 6291456 bytes for the InvokeFunction operation"}, x-amzn-ErrorType RequestEntityTooLargeException', async () => {
    const h = await httpHarness('EchoUrl', template);

    const got = await h.send({ method: 'POST', path: '/', body: 'x'.repeat(6.5 * 1024 * 1024) });

    expect(got.status).toBe(413);
    expect(got.headers.get('x-amzn-errortype')).toBe('RequestEntityTooLargeException');
    expect(got.json()).toEqual({ Message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation' });
  });

  it('a function that fails answers 502 (an HTTP API answers 500)', async () => {
    const h = await httpHarness('ThrowerUrl', template);
    const got = await h.send({ path: '/' });
    expect(got.status).toBe(502);
    // Lambda's answer, as AWS recorded it (LocalStack's validated function URL test): plain text, not API Gateway's JSON.
    expect(got.text).toBe('Internal Server Error');
  });

  it('a function the local Lambda service cannot run (its build failed) answers as a failed function: 502, not an HTTP API\'s 500', async () => {
    // Act
    const got = await (await httpHarness('UnbuiltUrl', template)).send({ path: '/' });

    // Assess
    expect(got.status).toBe(502);
    expect(got.text).toBe('Internal Server Error');
  });

  describe('AuthType NONE: the function`s resource-based policy must grant public access (lambda:InvokeFunctionUrl and, since October 2025, lambda:InvokeFunction)', () => {
    it('with both grants (as CDK`s addFunctionUrl writes them) the function is invoked', async () => {
      const h = await httpHarness('PublicUrl', template);
      expect(echoedV2(await h.send({ path: '/' })).routeKey).toBe('$default');
    });

    it.each([
      { given: 'no grant at all', url: 'ClosedUrl', missing: /lambda:InvokeFunctionUrl and lambda:InvokeFunction/ },
      { given: 'InvokeFunctionUrl only (an InvokeFunction grant limited to calls not via the URL does not count)', url: 'HalfUrl', missing: /grants no public lambda:InvokeFunction \(/ },
    ])('$given: every request answers 403 as Lambda does, the function is not invoked, the report says why', async ({ url, missing }) => {
      const h = await httpHarness(url, template);

      const got = await h.send({ method: 'POST', path: '/', body: 'x' });

      expect(got.status).toBe(403);
      expect(got.json()).toEqual({ Message: FORBIDDEN });
      expect(got.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
      expect(h.invoker.calls).toHaveLength(0);
      expect(h.logs.at(-1)).toMatch(missing);
      expect(h.gateway.routes[0]?.detail).toMatch(/^answers 403: AuthType NONE needs an AWS::Lambda::Permission granting/);
    });

    it('SAM`s FunctionUrlConfig with AuthType NONE is public: SAM writes both grants itself', () => {
      expect(loaded.httpApis.find((a) => a.logicalId === 'EchoUrl')?.functionUrl?.missingPermissions).toBeUndefined();
    });
  });

  describe('AuthType AWS_IAM', () => {
    const credentials = { accessKeyId: 'ASIALOCALTESTKEY0001', secretAccessKey: 'local-secret-for-tests' };
    const now = Date.UTC(2026, 5, 1, 12);
    const api = loaded.httpApis.find((a) => a.logicalId === 'PlainUrl')!;
    const gateway = createHttpGateway({ api, template: loaded, invoker: new FakeInProcessInvoker(loaded), iam: { credentials, region: 'us-east-1', accountId: '123456789012', now: () => now }, log: () => undefined });
    const signed = async (service: string) => signedHeaders({ url: 'http://localhost:3000/x', at: new Date(now), credentials, service });

    it.each([
      { given: 'signed for service lambda', service: 'lambda', status: 200 },
      { given: 'signed for execute-api (an API Gateway signature)', service: 'execute-api', status: 403 },
    ])('$given answers $status', async ({ service, status }) => {
      const got = await sendRequest(gateway, { path: '/x', headers: Object.entries(await signed(service)) });
      expect(got.status).toBe(status);
      if (status === 200) {
        const context = echoedV2(got).requestContext as unknown as Record<string, unknown>;
        expect(context.accountId).toBe('123456789012');
        // AWS_IAM: `authentication: null` beside `authorizer.iam` (Lambda's payload example; serverless-java-container#460).
        expect(context).toMatchObject({ authentication: null, authorizer: { iam: { accessKey: credentials.accessKeyId } } });
      }
    });

    it('unsigned answers 403 Forbidden, Lambda`s error body', async () => {
      const got = await sendRequest(gateway, { path: '/x' });
      expect([got.status, got.json()]).toEqual([403, { Message: FORBIDDEN }]);
    });
  });
});
