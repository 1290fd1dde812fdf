/**
 * The startup report's account of x-amazon-apigateway-* keys (gateway/support-report.ts): never silent about a key
 * whose value the gateway cannot apply.
 */
import { describe, expect, it } from 'vitest';
import { extensionItems, integrationNotEmulated, routeReport } from '../../../emulator/gateway/support-report.js';
import type { LoadedTemplate, OpenApiDocument } from '../../../emulator/template/model.js';

const doc = (responses: Record<string, unknown>): OpenApiDocument => ({ openapi: '3.0.1', paths: {}, 'x-amazon-apigateway-gateway-responses': responses }) as unknown as OpenApiDocument;
const itemsFor = (responses: Record<string, unknown>) => extensionItems(doc(responses)).filter((i) => i.subject === 'x-amazon-apigateway-gateway-responses');

describe('x-amazon-apigateway-gateway-responses (R8)', () => {
  it.each([
    { given: 'DEFAULT_4xx (lower-case xx, as a SAM example writes it)', types: ['DEFAULT_4xx', 'DEFAULT_5XX'], want: /^"DEFAULT_4xx" \(the type is DEFAULT_4XX: response types are upper case\): no gateway response type of API Gateway, never applied$/ },
    { given: 'a type API Gateway has in no case', types: ['NOT_A_TYPE'], want: /^"NOT_A_TYPE": no gateway response type/ },
  ])('$given: one NOT EMULATED item names it, beside the key`s own EMULATED item', ({ types, want }) => {
    // Act
    const items = itemsFor(Object.fromEntries(types.map((t) => [t, { statusCode: 418 }])));

    // Assess
    expect(items.map((i) => i.status).sort()).toEqual(['emulated', 'not-emulated']);
    expect(items.find((i) => i.status === 'not-emulated')?.detail).toMatch(want);
  });

  it('neighbour: only API Gateway`s types: the key alone, EMULATED', () => {
    expect(itemsFor({ DEFAULT_4XX: {}, MISSING_AUTHENTICATION_TOKEN: { statusCode: 404 } }).map((i) => i.status)).toEqual(['emulated']);
  });
});

describe('model patterns JavaScript cannot evaluate (R5, java-regex.ts) are named NOT EMULATED at start', () => {
  const withModel = (schema: Record<string, unknown>) =>
    extensionItems({ openapi: '3.0.1', paths: {}, components: { schemas: { M: schema } } } as never).filter((i) => i.subject.startsWith('pattern '));

  it.each([
    { given: 'a class intersection in a pattern', schema: { type: 'string', pattern: '[a-z&&[^x]]' }, want: [{ subject: 'pattern "[a-z&&[^x]]"', location: 'components.schemas.M.pattern', detail: expect.stringMatching(/; it matches every value locally$/) }] },
    { given: 'a patternProperties name with an unknown Unicode class', schema: { type: 'object', patternProperties: { '^\\p{IsNoSuchScript}+$': { type: 'string' } } }, want: [{ subject: 'pattern "^\\\\p{IsNoSuchScript}+$"', location: 'components.schemas.M.patternProperties.^\\p{IsNoSuchScript}+$', detail: expect.stringContaining('NoSuchScript') }] },
    { given: 'a pattern that could backtrack without bound on a client`s value', schema: { type: 'string', pattern: '^(a+)+\\1$' }, want: [{ subject: 'pattern "^(a+)+\\\\1$"', location: 'components.schemas.M.pattern', detail: expect.stringContaining('could backtrack without bound') }] },
    { given: 'patterns Java and JavaScript both take ([\\w-_], \\-)', schema: { type: 'object', properties: { a: { type: 'string', pattern: '^[\\w-_]+\\-$' } } }, want: [] },
    { given: 'a property named "pattern" (an object, not a pattern)', schema: { type: 'object', properties: { pattern: { type: 'string' } } }, want: [] },
  ])('$given', ({ schema, want }) => {
    expect(withModel(schema)).toEqual(want.map((w) => ({ status: 'not-emulated', ...w })));
  });
});

describe('x-amazon-apigateway-* keys and unread keys nested where the report lists the parent`s sub-keys alone', () => {
  const document = {
    openapi: '3.0.1',
    'x-amazon-apigateway-gateway-responses': { DEFAULT_4XX: { statusCode: 400, responseTemplatez: {}, 'x-amazon-apigateway-in-gateway-response': 1 } },
    paths: {
      '/m': {
        get: {
          'x-amazon-apigateway-integration': {
            type: 'mock',
            responses: {
              default: { statusCode: '200', responseTemplates: { 'application/json': '{}', 'x-amazon-apigateway-in-templates': '' }, 'x-amazon-apigateway-in-response': 1 },
              '404': { statusCode: '404', selectionPattern: '404' },
            },
          },
        },
      },
    },
  } as unknown as OpenApiDocument;
  const items = extensionItems(document).filter((i) => i.status !== 'emulated');

  it('an x-amazon-apigateway-* key inside an integration or a gateway response is named NOT EMULATED where it stands', () => {
    expect(items.filter((i) => i.status === 'not-emulated').map((i) => [i.subject, i.location])).toEqual([
      ['x-amazon-apigateway-in-gateway-response', 'x-amazon-apigateway-gateway-responses.DEFAULT_4XX.x-amazon-apigateway-in-gateway-response'],
      ['x-amazon-apigateway-in-templates', 'paths./m.get.x-amazon-apigateway-integration.responses.default.responseTemplates.x-amazon-apigateway-in-templates'],
      ['x-amazon-apigateway-in-response', 'paths./m.get.x-amazon-apigateway-integration.responses.default.x-amazon-apigateway-in-response'],
    ]);
  });

  it('R2.6, R8: a response key API Gateway does not read (selectionPattern inside the response, a typo) is IGNORED with what is read', () => {
    expect(items.filter((i) => i.status === 'ignored').map((i) => [i.subject, i.detail])).toEqual([
      ['x-amazon-apigateway-gateway-responses.*.responseTemplatez', 'API Gateway reads only statusCode, responseParameters, responseTemplates of a response: never applied'],
      ['x-amazon-apigateway-integration.responses.*.selectionPattern', 'API Gateway reads only statusCode, responseParameters, responseTemplates, contentHandling of a response (its selection pattern is its key, "404"): never applied'],
    ]);
  });
});

describe('a security scheme API Gateway does not apply (no x-amazon-apigateway-authorizer)', () => {
  const mock = { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' } };
  const document = {
    openapi: '3.0.1',
    components: {
      securitySchemes: {
        oauth: { type: 'oauth2', flows: {} },
        api_key: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        unused: { type: 'http', scheme: 'bearer' },
      },
    },
    paths: {
      '/m': { get: { security: [{ oauth: [] }], 'x-amazon-apigateway-integration': mock } },
      '/open': { get: { 'x-amazon-apigateway-integration': mock } },
      '/keyed': { get: { security: [{ api_key: [] }], 'x-amazon-apigateway-integration': mock } },
    },
  } as unknown as OpenApiDocument;

  it('is listed IGNORED once, as served without it; an unnamed scheme and the x-api-key scheme are not', () => {
    expect(extensionItems(document).filter((i) => i.subject.startsWith('security scheme'))).toEqual([
      { subject: 'security scheme oauth', location: 'components.securitySchemes.oauth', status: 'ignored', detail: expect.stringMatching(/^type oauth2: .*the method is served without it$/) },
    ]);
  });

  it('its route says so beside its other notes', () => {
    const [route, open] = routeReport(document, {} as LoadedTemplate);

    expect(route?.detail).toBe('security scheme oauth not applied (no x-amazon-apigateway-authorizer): served without it');
    expect(open?.detail).toBeUndefined();
  });
});

describe('x-amazon-apigateway-auth of a type API Gateway does not take on a method (AWS_IAM or NONE)', () => {
  it('makes its route NOT EMULATED (it answers 500), never served without authorization; AWS_IAM and NONE neighbours are not refused for it', () => {
    const mock = { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' } };
    const auth = (type: string) => ({ 'x-amazon-apigateway-auth': { type }, 'x-amazon-apigateway-integration': mock });
    const document = { openapi: '3.0.1', paths: { '/cognito': { get: auth('COGNITO_USER_POOLS') }, '/none': { get: auth('NONE') } } } as unknown as OpenApiDocument;

    const [cognito, none] = routeReport(document, {} as LoadedTemplate);

    expect([cognito?.emulated, cognito?.detail]).toEqual([false, 'x-amazon-apigateway-auth type "COGNITO_USER_POOLS" is not emulated (AWS_IAM or NONE only)']);
    expect(none?.emulated).toBe(true);
  });
});

describe('path item keys that are no operation of API Gateway (the SAM CLI serves `any`)', () => {
  const paths = { '/all': { any: { 'x-amazon-apigateway-integration': { type: 'mock' } }, GET: {}, get: {}, parameters: [], summary: 's', 'x-amazon-apigateway-any-method': {} } };
  const items = () => extensionItems({ openapi: '3.0.1', paths } as never).filter((i) => i.subject.startsWith('paths.'));

  it('each is named IGNORED with the key API Gateway takes; operations, parameters, summary and x- keys are not', () => {
    expect(items()).toEqual([
      { subject: 'paths./all.any', location: 'paths./all.any', status: 'ignored', detail: "not an OpenAPI operation (ANY is x-amazon-apigateway-any-method): API Gateway's import makes no method of it" },
      { subject: 'paths./all.GET', location: 'paths./all.GET', status: 'ignored', detail: "not an OpenAPI operation (operations are lower case: get): API Gateway's import makes no method of it" },
    ]);
  });
});

describe('an integration uri that is no string (R1.2)', () => {
  it('is named as the intrinsic it is, not "[object Object]": CloudFormation resolves none in a BodyS3Location document', () => {
    // Prepare
    const uri = { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations' };
    const op = { method: 'GET', resourcePath: '/x', operation: {}, parameters: [], integration: { type: 'aws_proxy', httpMethod: 'POST', uri }, location: 'paths./x.get' };

    // Act
    const why = integrationNotEmulated(op as never, { functionForUri: () => undefined } as never);

    // Assess
    expect(why).toBe(`the integration uri is ${JSON.stringify(uri)}, not a string: CloudFormation resolves no intrinsic function in a document it does not read (BodyS3Location, DefinitionUri)`);
  });
});

describe('R6.2 a root-level security requirement', () => {
  const rootItems = (security: unknown) => extensionItems({ openapi: '3.0.1', paths: {}, ...(security === undefined ? {} : { security }) } as never).filter((i) => i.subject === 'security (root level)');

  it.each([
    { given: 'one requirement', security: [{ key: [] }], want: 1 },
    { given: 'two requirements', security: [{ key: [] }, { cognito: ['read'] }], want: 1 },
    { given: 'an empty list (no requirement to ignore)', security: [], want: 0 },
    { given: 'no root security', security: undefined, want: 0 },
  ])('$given: listed IGNORED $want time(s), as its methods are served without it', ({ security, want }) => {
    const items = rootItems(security);
    expect(items).toHaveLength(want);
    for (const item of items) expect(item).toMatchObject({ status: 'ignored', location: 'security', detail: expect.stringContaining('R6.2') });
  });
});

describe('R5.1 request models and required parameters no request validator applies to', () => {
  const proxy = { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations' } };
  const bodyParam = { in: 'body', name: 'order', required: true, schema: { $ref: '#/definitions/order' } };
  const headerParam = { in: 'header', name: 'X-Tenant', required: true, type: 'string' };
  // The Swagger 2.0 SAM writes for RequestModel/RequestParameters with Required: true and no Validate* flag.
  const swagger = (post: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    ({ swagger: '2.0', paths: { '/orders': { post: { ...proxy, ...post }, get: { ...proxy, parameters: [{ in: 'query', name: 'page', required: false, type: 'string' }] } }, '/orders/{id}': { get: { ...proxy, parameters: [{ in: 'path', name: 'id', required: true, type: 'string' }] } } }, definitions: { order: { type: 'object' } }, ...extra }) as unknown as OpenApiDocument;
  const lines = (d: OpenApiDocument) => extensionItems(d).filter((i) => i.subject.endsWith('not validated') || i.subject.endsWith('not checked')).map((i) => `${i.status} ${i.subject}: ${i.detail}`);

  it('R5.1 a body model and a required header with no validator are each said to go unchecked, naming the method', () => {
    expect(lines(swagger({ parameters: [bodyParam, headerParam] }))).toEqual([
      'ignored request models not validated: POST /orders: no x-amazon-apigateway-request-validator with validateRequestBody applies (R5.1), so a body reaches the integration unchecked, as on AWS (SAM: RequestModel ValidateBody: true adds one)',
      'ignored required parameters not checked: POST /orders: no x-amazon-apigateway-request-validator with validateRequestParameters applies (R5.1), so a request without them reaches the integration, as on AWS (SAM: RequestParameters needs ValidateParameters: true on a RequestModel)',
    ]);
  });

  it('R5.1 a validator checking the body only leaves the parameters unchecked (and the other way round)', () => {
    const validators = { 'x-amazon-apigateway-request-validators': { body: { validateRequestBody: true, validateRequestParameters: false }, params: { validateRequestBody: false, validateRequestParameters: true } } };
    expect(lines(swagger({ parameters: [bodyParam, headerParam], 'x-amazon-apigateway-request-validator': 'body' }, validators)).map((l) => l.split(':')[0])).toEqual(['ignored required parameters not checked']);
    expect(lines(swagger({ parameters: [bodyParam, headerParam], 'x-amazon-apigateway-request-validator': 'params' }, validators)).map((l) => l.split(':')[0])).toEqual(['ignored request models not validated']);
  });

  it('R5.1 an OpenAPI 3 requestBody schema under a root validator that checks everything: nothing said', () => {
    const d = { openapi: '3.0.1', 'x-amazon-apigateway-request-validators': { all: { validateRequestBody: true, validateRequestParameters: true } }, 'x-amazon-apigateway-request-validator': 'all', paths: { '/orders': { post: { ...proxy, requestBody: { content: { 'application/json': { schema: { type: 'object' } } } }, parameters: [{ in: 'query', name: 'q', required: true, schema: { type: 'string' } }] } } } } as unknown as OpenApiDocument;
    expect(lines(d)).toEqual([]);
  });

  it('R5.2 neighbour: optional parameters, path parameters and methods without a model are not listed', () => {
    expect(lines(swagger({}))).toEqual([]);
  });
});

describe('R5.8 a $ref outside the document (a file the app bundles in before deploying)', () => {
  const refs = (schema: Record<string, unknown>) =>
    extensionItems({ openapi: '3.0.1', paths: { '/items': { post: { requestBody: { content: { 'application/json': { schema } } } } } }, components: { schemas: { Item: { type: 'object' } } } } as never).filter((i) => i.subject.startsWith('$ref '));

  it.each([
    { given: 'a relative file', schema: { $ref: '../../shared/resources/schemas.yaml#/Products' }, want: [{ subject: '$ref "../../shared/resources/schemas.yaml#/Products"', location: 'paths./items.post.requestBody.content.application/json.schema.$ref', status: 'not-emulated' }] },
    { given: 'a URL, nested in a property', schema: { type: 'object', properties: { a: { $ref: 'https://example.com/a.json' } } }, want: [{ subject: '$ref "https://example.com/a.json"', status: 'not-emulated' }] },
    { given: 'a reference within the document', schema: { $ref: '#/components/schemas/Item' }, want: [] },
  ])('$given', ({ schema, want }) => {
    expect(refs(schema)).toEqual(want.map((w) => expect.objectContaining({ ...w, detail: expect.stringContaining("API Gateway's import takes only references within it (R5.8)") })));
  });
});

describe('R7.2 each key of a REST x-amazon-apigateway-authorizer is accounted for at start', () => {
  const LAMBDA_URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations';
  const scheme = (authorizer: Record<string, unknown>) => ({ type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom', 'x-amazon-apigateway-authorizer': authorizer });
  const document = (authorizer: Record<string, unknown>) => ({ openapi: '3.0.1', paths: {}, components: { securitySchemes: { Auth: scheme(authorizer) } } }) as unknown as OpenApiDocument;
  const subKeys = (authorizer: Record<string, unknown>, withIdentity = true) =>
    extensionItems(document(authorizer), withIdentity)
      .filter((i) => i.subject.startsWith('x-amazon-apigateway-authorizer.'))
      .map((i) => [i.subject.slice('x-amazon-apigateway-authorizer.'.length), i.status, i.location]);
  const at = 'components.securitySchemes.Auth.x-amazon-apigateway-authorizer';

  it.each([
    {
      given: 'a TOKEN authorizer as SAM writes it',
      authorizer: { type: 'token', authorizerUri: LAMBDA_URI, authorizerCredentials: 'arn:aws:iam::123456789012:role/r', identitySource: 'method.request.header.Authorization', identityValidationExpression: '^Bearer .+$', authorizerResultTtlInSeconds: 60 },
      want: [['type', 'emulated'], ['authorizerUri', 'emulated'], ['authorizerCredentials', 'ignored'], ['identitySource', 'emulated'], ['identityValidationExpression', 'emulated'], ['authorizerResultTtlInSeconds', 'emulated']],
    },
    {
      given: 'a REQUEST authorizer with HTTP API keys, a Cognito key and a key no authorizer has',
      authorizer: { type: 'request', authorizerUri: LAMBDA_URI, identitySource: 'method.request.header.X', identityValidationExpression: 'x', providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/p'], authorizerPayloadFormatVersion: '2.0', enableSimpleResponses: true, jwtConfiguration: {}, authorizerTtl: 5 },
      want: [['type', 'emulated'], ['authorizerUri', 'emulated'], ['identitySource', 'emulated'], ['identityValidationExpression', 'ignored'], ['providerARNs', 'ignored'], ['authorizerPayloadFormatVersion', 'ignored'], ['enableSimpleResponses', 'ignored'], ['jwtConfiguration', 'ignored'], ['authorizerTtl', 'not-emulated']],
    },
    {
      given: 'a Cognito authorizer',
      authorizer: { type: 'cognito_user_pools', providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/p'], identitySource: 'method.request.header.Authorization', identityValidationExpression: 'client', authorizerResultTtlInSeconds: 300, authorizerUri: LAMBDA_URI },
      want: [['type', 'emulated'], ['providerARNs', 'emulated'], ['identitySource', 'emulated'], ['identityValidationExpression', 'emulated'], ['authorizerResultTtlInSeconds', 'ignored'], ['authorizerUri', 'ignored']],
    },
  ])('$given: one item a key, with its status', ({ authorizer, want }) => {
    // Act
    const items = subKeys(authorizer);

    // Assess
    expect(items).toEqual(want.map(([key, status]) => [key, status, at]));
  });

  it('an HTTP API key on a REST authorizer says so, and that the REST import`s handling of it is not recorded', () => {
    const item = extensionItems(document({ type: 'request', authorizerUri: LAMBDA_URI, enableSimpleResponses: true }), true).find((i) => i.subject === 'x-amazon-apigateway-authorizer.enableSimpleResponses');

    expect(item?.detail).toMatch(/HTTP API.*R7\.2.*not recorded/);
  });

  it('without the identity stage, each key is as NOT EMULATED as the authorizer', () => {
    expect(subKeys({ type: 'token', authorizerUri: LAMBDA_URI }, false)).toEqual([
      ['type', 'not-emulated', at],
      ['authorizerUri', 'not-emulated', at],
    ]);
  });
});

describe('R7.1 an x-amazon-apigateway-authorizer outside a security scheme (Anniinas/SGEventHub writes it on operations)', () => {
  const cognito = { type: 'cognito_user_pools', providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/p'] };
  const items = (doc: Record<string, unknown>) =>
    extensionItems({ openapi: '3.0.1', ...doc } as unknown as OpenApiDocument, true)
      .filter((i) => i.subject.startsWith('x-amazon-apigateway-authorizer'))
      .map((i) => [i.subject, i.location, i.status]);

  it.each([
    {
      given: 'on an operation, beside its integration: ignored with the authorizer`s keys, the method open',
      doc: { paths: { '/{id}': { put: { 'x-amazon-apigateway-authorizer': cognito, 'x-amazon-apigateway-integration': { type: 'mock' } } } } },
      want: [
        ['x-amazon-apigateway-authorizer', 'paths./{id}.put', 'ignored'],
        ['x-amazon-apigateway-authorizer.type', 'paths./{id}.put.x-amazon-apigateway-authorizer', 'ignored'],
        ['x-amazon-apigateway-authorizer.providerARNs', 'paths./{id}.put.x-amazon-apigateway-authorizer', 'ignored'],
      ],
    },
    {
      given: 'in a security scheme: emulated, as before',
      doc: { paths: {}, components: { securitySchemes: { Pool: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authorizer': cognito } } } },
      want: [
        ['x-amazon-apigateway-authorizer', 'components.securitySchemes.Pool', 'emulated'],
        ['x-amazon-apigateway-authorizer.type', 'components.securitySchemes.Pool.x-amazon-apigateway-authorizer', 'emulated'],
        ['x-amazon-apigateway-authorizer.providerARNs', 'components.securitySchemes.Pool.x-amazon-apigateway-authorizer', 'emulated'],
      ],
    },
  ])('$given', ({ doc, want }) => {
    expect(items(doc)).toEqual(want);
  });

  it('says why and that the method is open on AWS too', () => {
    const item = extensionItems({ openapi: '3.0.1', paths: { '/a': { get: { 'x-amazon-apigateway-authorizer': cognito } } } } as unknown as OpenApiDocument, true).find((i) => i.subject === 'x-amazon-apigateway-authorizer');

    expect(item?.detail).toBe("at paths./a.get, not in a security scheme: API Gateway reads an authorizer only from components.securitySchemes (securityDefinitions) named by an operation's security, so it authorizes nothing and the method is open, on AWS too (R7.1)");
  });
});

describe('payloadFormatVersion in a REST API integration (heeki/lambda_fastapi, heeki/buildit write it on aws_proxy)', () => {
  const document = {
    openapi: '3.0.1',
    paths: { '/': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations', payloadFormatVersion: '1.0', integrationHttpMethod: 'POST' } } } },
  } as unknown as OpenApiDocument;
  const verdict = (key: string) => extensionItems(document).find((i) => i.subject === `x-amazon-apigateway-integration.${key}`);

  it('is IGNORED, an HTTP API key (a REST Lambda proxy event is version 1.0): --strict does not refuse it', () => {
    expect(verdict('payloadFormatVersion')).toMatchObject({ status: 'ignored', detail: expect.stringMatching(/HTTP API/) });
  });

  it('neighbour: a key no API Gateway integration has (CloudFormation`s IntegrationHttpMethod spelt as a key) stays NOT EMULATED', () => {
    expect(verdict('integrationHttpMethod')).toMatchObject({ status: 'not-emulated' });
  });
});

describe('REST API security policy extensions at the root (DiegoRos/AI-Photo-Search swagger.yaml: a console export)', () => {
  const root = (extra: Record<string, unknown>) => extensionItems({ openapi: '3.0.1', paths: {}, ...extra } as never);

  it.each([
    { key: 'x-amazon-apigateway-security-policy', value: 'TLS_1_0' },
    { key: 'x-amazon-apigateway-security-policy', value: 'SecurityPolicy_TLS13_1_3_2025_09' },
    { key: 'x-amazon-apigateway-endpoint-access-mode', value: 'STRICT' },
  ])('$key $value is IGNORED with why (the local endpoint`s TLS), so --strict does not refuse it', ({ key, value }) => {
    expect(root({ [key]: value }).find((i) => i.subject === key)).toMatchObject({ status: 'ignored', detail: expect.stringMatching(/TLS/) });
  });

  it('neighbour: an extension API Gateway has none of stays NOT EMULATED', () => {
    expect(root({ 'x-amazon-apigateway-tls-policy': 'TLS_1_2' }).find((i) => i.subject === 'x-amazon-apigateway-tls-policy')).toMatchObject({ status: 'not-emulated', detail: 'unknown extension' });
  });
});
