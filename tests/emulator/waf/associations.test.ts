/**
 * Which stage a WAF web ACL protects (W1.1, W1.2: a REGIONAL web ACL, on the REST API stage its association names)
 * and what it tells the stage's $context (W1.5), through the real pipeline on the test clock.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultStage } from '../../../emulator/gateway/stages.js';
import { ManualClock } from '../../../emulator/limits/index.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { webAclFor } from '../../../emulator/waf/web-acl.js';
import type { LoadedTemplate } from '../../../emulator/template/model.js';
import { apiWith, FIXTURE, type Json, local, template, useWafFixture, wafWith, world } from './support/world.js';

useWafFixture();

describe('W1.1 a web ACL protects the REST API stage it is associated with, and only a REGIONAL one', () => {
  const resourceArn = () => String(template.wafResources!.find((r) => r.logicalId === 'AclAssociation')!.properties.ResourceArn);
  const otherRegion = () => (template.region === 'ap-southeast-2' ? 'eu-west-3' : 'ap-southeast-2');

  it.each([
    { given: 'the REGIONAL web ACL associated with stage v1 filters that stage', tpl: () => template, want: 403 },
    { given: 'an association naming another stage of the API leaves stage v1 unfiltered', tpl: () => wafWith({ ResourceArn: resourceArn().replace(/\/stages\/v1$/, '/stages/prod') }, 'AclAssociation'), want: 200 },
    { given: 'an association naming the API id in another Region leaves the stage unfiltered', tpl: () => wafWith({ ResourceArn: resourceArn().replace(`:apigateway:${template.region}:`, `:apigateway:${otherRegion()}:`) }, 'AclAssociation'), want: 200 },
    { given: 'a CLOUDFRONT web ACL is not applied to a REST stage (AWS refuses the association)', tpl: () => wafWith({ Scope: 'CLOUDFRONT' }), want: 200 },
  ])('W1.1 $given', async ({ tpl, want }) => {
    // Act: 198.51.100.7 is in the block set of Acl
    const got = await world(tpl()).send('/v1/ok', { ip: '198.51.100.7' });

    // Assess
    expect(got.status).toBe(want);
  });

  it('W1.1 a CLOUDFRONT web ACL on a REST stage is reported NOT EMULATED with why (AWS would refuse the association), its rules not listed', () => {
    // Act
    const items = world(wafWith({ Scope: 'CLOUDFRONT' })).gateways.WafApi!.support.filter((s) => s.location === 'web ACL Acl');

    // Assess
    expect(items).toEqual([{ subject: 'AWS::WAFv2::WebACL', location: 'web ACL Acl', status: 'not-emulated', detail: expect.stringMatching(/Scope CLOUDFRONT.*REGIONAL.*\(W1\.1\)/) }]);
  });
});

describe('W1.1 never silent: an association naming no REST API stage of the template', () => {
  // The shape of serverless-patterns' apigw-waf-sam: a web ACL for an API of another stack, named by a parameter.
  const ELSEWHERE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  ApiGatewayId: {Type: String, Default: abc123}
Resources:
  Acl:
    Type: AWS::WAFv2::WebACL
    Properties:
      Scope: REGIONAL
      DefaultAction: {Block: {}}
      VisibilityConfig: {CloudWatchMetricsEnabled: false, MetricName: acl, SampledRequestsEnabled: false}
  Elsewhere:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      WebACLArn: !GetAtt Acl.Arn
      ResourceArn: !Sub arn:aws:apigateway:\${AWS::Region}::/restapis/\${ApiGatewayId}/stages/prod
`;

  it('W1.1 is listed NOT EMULATED with the ARN it names (it filters nothing locally), not EMULATED', async () => {
    // Arrange
    const file = join(local.dir, 'elsewhere.yaml');
    writeFileSync(file, ELSEWHERE);

    // Act
    const loaded = await loadTemplate(file);

    // Assess
    const group = loaded.resources!.find((g) => g.type === 'AWS::WAFv2::WebACLAssociation');
    expect(group).toMatchObject({ logicalIds: ['Elsewhere'], status: 'not-emulated', detail: expect.stringContaining(`/restapis/abc123/stages/prod names no REST API stage of this template`) });
    expect(loaded.warnings).toContainEqual(expect.stringMatching(/^Resources\.Elsewhere \(AWS::WAFv2::WebACLAssociation\): its ResourceArn /));
  });

  // SAM's deployment of an API without OpenApiVersion also creates the stage "Stage", served beside Prod (gateway/stages.ts).
  const SAM_STAGE = `Transform: AWS::Serverless-2016-10-31
${ELSEWHERE.replace(/^AWSTemplateFormatVersion.*\n/, '').replace('${ApiGatewayId}/stages/prod', '${Api}/stages/Stage').replace('  Elsewhere:', '  OnSamStage:')}  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      DefinitionBody: {swagger: '2.0', info: {title: t, version: '1'}, paths: {/ok: {get: {x-amazon-apigateway-integration: {type: mock}}}}}
`;

  it('W1.2 an association naming SAM`s "Stage" stage, which is served and filtered by it, stays EMULATED', async () => {
    // Prepare
    const file = join(local.dir, 'sam-stage.yaml');
    writeFileSync(file, SAM_STAGE);

    // Act
    const loaded = await loadTemplate(file);

    // Assess: the stage's gateway takes the web ACL, and the report does not say it filters nothing
    const api = loaded.apis.find((a) => a.logicalId === 'Api')!;
    expect(webAclFor(loaded, defaultStage(api, 'Stage'), new ManualClock())).toBeDefined();
    expect(loaded.resources!.find((g) => g.type === 'AWS::WAFv2::WebACLAssociation')).toMatchObject({ logicalIds: ['OnSamStage'], status: 'emulated' });
    expect(loaded.warnings ?? []).not.toContainEqual(expect.stringMatching(/^Resources\.OnSamStage /));
  });

  it('W1.2 the fixture\'s associations, which name its own stages, stay EMULATED', () => {
    const groups = template.resources!.filter((g) => g.type === 'AWS::WAFv2::WebACLAssociation');
    expect(groups.map((g) => g.status)).toEqual(['emulated']);
  });
});

describe('W1.5 $context.wafResponseCode and $context.webaclArn', () => {
  const ECHO = '{"code":"$context.wafResponseCode","acl":"$context.webaclArn"}';
  const aclArn = (tpl: LoadedTemplate, association: string) => tpl.wafResources!.find((r) => r.logicalId === association)!.properties.WebACLArn;
  /** WafApi's mock answers the two variables. */
  const echoing = (base: LoadedTemplate) =>
    apiWith(
      'WafApi',
      (doc) => {
        const integration = ((doc.paths as Json)['/{proxy+}'] as Json)['x-amazon-apigateway-any-method'] as Json;
        ((integration['x-amazon-apigateway-integration'] as Json).responses as Json).default = { statusCode: '200', responseTemplates: { 'application/json': ECHO } };
      },
      base,
    );

  it('W1.5 a request the web ACL allows: WAF_ALLOW and the ARN of the associated web ACL', async () => {
    // Act
    const got = await world(echoing(template)).send('/v1/anything');

    // Assess
    expect(got.status).toBe(200);
    expect(JSON.parse(got.body)).toEqual({ code: 'WAF_ALLOW', acl: aclArn(template, 'AclAssociation') });
  });

  it('W1.5 a request the web ACL blocks: WAF_BLOCK in the WAF_FILTERED gateway response', async () => {
    // Prepare: ClosedApi's WAF_FILTERED response renders the two variables
    const tpl = apiWith('ClosedApi', (doc) => {
      (doc['x-amazon-apigateway-gateway-responses'] as Json).WAF_FILTERED = { statusCode: 403, responseTemplates: { 'application/json': ECHO } };
    });

    // Act
    const got = await world(tpl).send('/closed/x', {}, 'ClosedApi');

    // Assess
    expect(got.status).toBe(403);
    expect(JSON.parse(got.body)).toEqual({ code: 'WAF_BLOCK', acl: aclArn(template, 'ClosedAssociation') });
  });

  it('W1.5 a stage without a web ACL leaves both unset', async () => {
    // Prepare
    const off = await loadTemplate(FIXTURE, { parameterOverrides: { EnableWaf: 'false' } });

    // Act
    const got = await world(echoing(off)).send('/v1/anything');

    // Assess
    expect(JSON.parse(got.body)).toEqual({ code: '', acl: '' });
  });
});
