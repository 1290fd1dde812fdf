/**
 * The HTTP API variant's definition is derived from openapi/api.yaml, never written by hand: the committed
 * openapi/http-api.gen.json is what the generator makes now, and the generator handles explicitly each
 * thing an HTTP API cannot do. Rule ids refer to /work/shared/reference/apigw-http-semantics.md.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readContract, type Json } from '../../infra/contract.js';
import { functionFor, HTTP_API_DEFINITION_PATH, httpApiDefinition } from '../../infra/http-api-definition.js';

type Obj = { [key: string]: Json };
const contract = readContract() as Obj;
const generated = httpApiDefinition(contract);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** [path, method, operation] of every operation of a document. */
function operationsOf(doc: Obj): [string, string, Obj][] {
  return Object.entries(doc.paths as Obj).flatMap(([path, item]) =>
    Object.entries(item as Obj)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]): [string, string, Obj] => [path, method, op as Obj]),
  );
}
const restOps = operationsOf(contract);
const httpOps = operationsOf(generated);
const schemes = (generated.components as Obj).securitySchemes as Obj;

describe('openapi/http-api.gen.json', () => {
  it('is what the generator makes from the current contract (npm run generate; CI fails when stale)', () => {
    expect(JSON.parse(readFileSync(HTTP_API_DEFINITION_PATH, 'utf8'))).toEqual(generated);
  });

  it('keeps every operation of the contract but the OPTIONS mocks, whose answer the CORS configuration gives (H9)', () => {
    const kept = restOps.filter(([, method]) => method !== 'options').map(([path, method]) => `${method} ${path}`);
    expect(httpOps.map(([path, method]) => `${method} ${path}`)).toEqual(kept);
    expect(kept).toHaveLength(7);
  });
});

describe.each(httpOps.map(([path, method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })))('$route', ({ op }) => {
  it('H2.3 is a Lambda proxy integration, payload 1.0, to the function named after its operationId', () => {
    expect(op['x-amazon-apigateway-integration']).toEqual({
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: { 'Fn::Sub': `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${functionFor(String(op.operationId))}.Arn}/invocations` },
      payloadFormatVersion: '1.0',
      timeoutInMillis: 29000,
    });
  });

  it('H2.2 has at most one authorization, never the API key, and no request validator', () => {
    const names = (op.security as Obj[]).flatMap((requirement) => Object.keys(requirement));
    expect(names.length).toBeLessThanOrEqual(1);
    expect(names).not.toContain('ApiKey');
    expect(op).not.toHaveProperty('x-amazon-apigateway-request-validator');
  });

  it("H10 declares API Gateway's own answers as its JSON message, and none of REST's 502/504/414", () => {
    const responses = op.responses as Obj;
    for (const status of ['403', '429']) if (status in responses) expect(responses[status]).toEqual({ $ref: '#/components/responses/GatewayMessage' });
    // 413 and 503 are API Gateway's JSON message or, where the REST operation declares them, the function's problem too.
    for (const status of ['413', '503']) {
      if (status in responses) expect([{ $ref: '#/components/responses/GatewayMessage' }, { $ref: '#/components/responses/GatewayMessageOrProblem' }]).toContainEqual(responses[status]);
    }
    // H7.6: the JWT authorizer's 401 has no Content-Type: its response declares `*/*` beside application/json.
    if ('401' in responses) expect(responses['401']).toEqual({ $ref: '#/components/responses/GatewayUnauthorized' });
    expect(responses['503']).toBeDefined();
    for (const status of ['502', '504', '414']) expect(responses).not.toHaveProperty(status);
  });
});

describe('authorizers and what HTTP APIs lack', () => {
  it('H7.5 the Cognito user pool authorizer is a JWT authorizer on the same pool, its audience the pool client', () => {
    expect(schemes.CognitoUserPool).toMatchObject({
      type: 'oauth2',
      'x-amazon-apigateway-authorizer': {
        type: 'jwt',
        identitySource: '$request.header.Authorization',
        jwtConfiguration: { issuer: { 'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}' }, audience: [{ Ref: 'UserPoolClient' }] },
      },
    });
  });

  it('H8.1 H8.3 the admin TOKEN authorizer is a REQUEST authorizer, payload 1.0, same function, TTL and header', () => {
    const rest = ((contract.components as Obj).securitySchemes as Obj).AdminAuthorizer as Obj;
    const restAuthorizer = rest['x-amazon-apigateway-authorizer'] as Obj;
    expect((schemes.AdminAuthorizer as Obj)['x-amazon-apigateway-authorizer']).toEqual({
      type: 'request',
      authorizerUri: restAuthorizer.authorizerUri,
      authorizerPayloadFormatVersion: '1.0',
      authorizerResultTtlInSeconds: restAuthorizer.authorizerResultTtlInSeconds,
      identitySource: '$request.header.Authorization',
    });
  });

  it('H12.1 has no API key scheme, request validators, gateway responses or API key source', () => {
    expect(Object.keys(schemes).sort()).toEqual(['AdminAuthorizer', 'CognitoUserPool']);
    for (const key of ['x-amazon-apigateway-request-validators', 'x-amazon-apigateway-gateway-responses', 'x-amazon-apigateway-api-key-source']) expect(generated).not.toHaveProperty(key);
  });

  it('H2.7 H9.1 answers preflights as the OPTIONS mocks did: their origin, methods, headers (no x-api-key) and max age', () => {
    expect(generated['x-amazon-apigateway-cors']).toEqual({
      allowOrigins: [{ 'Fn::Sub': '${AllowedOrigin}' }],
      allowMethods: ['DELETE', 'GET', 'OPTIONS', 'POST', 'PUT'],
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match'],
      exposeHeaders: ['ETag', 'Location'],
      maxAge: 600,
    });
  });

  it('H9.2 H9.4 declares no Access-Control-* response header: the gateway adds them only for requests with an Origin', () => {
    expect(JSON.stringify(generated.paths)).not.toMatch(/"Access-Control-/);
  });
});

describe('the generator refuses what it cannot carry over', () => {
  const changed = (edit: (doc: Obj) => void): Obj => {
    const doc = JSON.parse(JSON.stringify(contract)) as Obj;
    edit(doc);
    return doc;
  };
  const listTasks = (doc: Obj) => ((doc.paths as Obj)['/tasks'] as Obj).get as Obj;

  it("a Lambda integration of another function than the operation's (the HTTP API would invoke another)", () => {
    const doc = changed((d) => {
      (listTasks(d)['x-amazon-apigateway-integration'] as Obj).uri = { 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${OtherFunction.Arn}/invocations' };
    });
    expect(() => httpApiDefinition(doc, { clientsOfPool: { UserPool: ['UserPoolClient'] } })).toThrow(/not ListTasksFunction/);
  });

  it('a Cognito authorizer whose pool has no app client (no JWT audience)', () => {
    expect(() => httpApiDefinition(contract, { clientsOfPool: {} })).toThrow(/no AWS::Cognito::UserPoolClient of UserPool/);
  });

  it('the neighbour: the same contract with the pool client is accepted', () => {
    expect(httpApiDefinition(contract, { clientsOfPool: { UserPool: ['UserPoolClient'] } })).toEqual(generated);
  });
});
