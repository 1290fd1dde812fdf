/** emulator/template/api-children.ts: API Gateway resources whose API id names no API of the template are reported, not listed as emulated. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';

const dir = mkdtempSync(join(tmpdir(), 'api-children-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A template with one RestApi (Api), one HTTP API (Http) and the child resource under test. */
async function statusOf(child: Record<string, unknown>): Promise<{ status: string; detail?: string } | undefined> {
  const file = join(dir, `t${Math.random().toString(36).slice(2)}.json`);
  const template = {
    Parameters: { Shared: { Type: 'String', Default: 'abc123defg' } },
    Resources: {
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api' } },
      Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'dev' } },
      Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'http', ProtocolType: 'HTTP' } },
      Child: child,
    },
  };
  writeFileSync(file, JSON.stringify(template));
  const loaded = await loadTemplate(file);
  const group = loaded.resources?.find((g) => g.logicalIds.includes('Child'));
  return group && { status: group.status, ...(group.detail ? { detail: group.detail } : {}) };
}

describe('detachedApiChildren through loadTemplate', () => {
  it.each([
    {
      given: 'a Method whose RestApiId is !Ref of the API',
      child: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: { Ref: 'Api' }, ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, HttpMethod: 'GET', AuthorizationType: 'NONE', Integration: { Type: 'MOCK' } } },
      want: { status: 'emulated' },
    },
    {
      given: "a Method whose RestApiId is the API's logical id as text",
      child: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: 'Api', ResourceId: 'Root', HttpMethod: 'GET' } },
      want: { status: 'not-emulated', detail: 'RestApiId is the text "Api", not that API\'s id (write !Ref Api): it adds nothing to any served API' },
    },
    {
      given: 'a Resource with no RestApiId',
      child: { Type: 'AWS::ApiGateway::Resource', Properties: { PathPart: 'items', ParentId: 'x' } },
      want: { status: 'not-emulated', detail: 'no RestApiId: it adds nothing to any served API' },
    },
    {
      given: 'a Stage of an API id of no API here, as text',
      child: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: 'abc123defg', StageName: 'x' } },
      want: { status: 'not-emulated', detail: 'RestApiId "abc123defg" names no API of this template: it adds nothing to any served API' },
    },
    {
      given: "a Stage whose API id is a parameter's (a parent stack passing its API's id: AbhijeetAayush/shared-wishlist)",
      child: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Shared' }, StageName: 'x' } },
      want: { status: 'not-emulated', detail: expect.stringMatching(/^RestApiId "abc123defg" comes from parameter Shared: the id of an API of another stack \(a parent passing its own\), to which AWS adds this resource; .*it adds nothing to any served API$/) },
    },
    {
      given: 'a Method of an API imported from another stack',
      child: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: { 'Fn::ImportValue': 'SharedApi' }, ResourceId: 'r', HttpMethod: 'GET' } },
      want: { status: 'not-emulated', detail: expect.stringMatching(/^RestApiId names an API of another stack \(emulator-unresolved:ImportValue\/SharedApi\): it adds nothing/) },
    },
    {
      given: 'an HTTP API Route whose ApiId is !Ref of the API',
      child: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Http' }, RouteKey: 'GET /a' } },
      want: { status: 'emulated' },
    },
    {
      given: "an HTTP API Route whose ApiId is the RestApi's (an HTTP API's children need an HTTP API)",
      child: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /a' } },
      want: { status: 'not-emulated', detail: expect.stringMatching(/^ApiId "[0-9a-f]{10}" names no API of this template/) },
    },
    {
      given: 'an HTTP API Integration whose ApiId is text',
      child: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: 'Http', IntegrationType: 'HTTP_PROXY' } },
      want: { status: 'not-emulated', detail: 'ApiId is the text "Http", not that API\'s id (write !Ref Http): it adds nothing to any served API' },
    },
  ])('$given: $want.status', async ({ child, want }) => {
    // Act
    const got = await statusOf(child);

    // Assess
    expect(got).toEqual(want);
  });
});
