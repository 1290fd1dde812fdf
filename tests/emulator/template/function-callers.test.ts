/**
 * emulator/template/function-callers.ts and start-gaps.ts unreachedFunctions: a function the template calls only
 * through routes (or events nothing runs locally) is reached only if one of them is served, and the start report
 * says so instead of EMULATED; a function anything else may call is never claimed unreached.
 */
import { describe, expect, it } from 'vitest';
import { routeOnlyFunctions } from '../../../emulator/template/function-callers.js';
import type { RawResource } from '../../../emulator/template/stack.js';
import { notEmulatedRouteResources, unreachedFunctions, withResourceStatuses } from '../../../emulator/start-gaps.js';
import type { RouteInfo } from '../../../emulator/gateway/types.js';
import type { ResourceGroup } from '../../../emulator/template/resources.js';

const fn = (events: Record<string, unknown> = {}, more: Record<string, unknown> = {}): RawResource => ({ Type: 'AWS::Serverless::Function', Properties: { Handler: 'app.handler', Events: events, ...more } });
const apiEvent = (api?: string) => ({ Type: 'Api', Properties: { ...(api ? { RestApiId: { Ref: api } } : {}), Path: '/a', Method: 'get' } });
const uri = (id: string) => ({ 'Fn::Sub': `arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${id}.Arn}/invocations` });
const route = (functionLogicalId: string, emulated: boolean, path = '/a'): RouteInfo => ({ method: 'GET', path, integration: 'aws_proxy', functionLogicalId, apiKeyRequired: false, emulated });

describe('routeOnlyFunctions', () => {
  it('finds the APIs of a function called only by its Api events and an API`s integration', () => {
    const resources: Record<string, RawResource> = {
      Fn: fn({ A: apiEvent('Rest'), B: apiEvent() }),
      Method: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: { Ref: 'Cfn' }, Integration: { Uri: uri('Fn') } } },
      Grant: { Type: 'AWS::Lambda::Permission', Properties: { FunctionName: { Ref: 'Fn' } } },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: { 'Fn::Sub': '/aws/lambda/${Fn}' } } },
    };

    const got = routeOnlyFunctions(resources, { Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] } }, false);

    expect(got.get('Fn')).toEqual({ apis: ['Rest', 'ServerlessRestApi', 'Cfn'], unrun: [] });
  });

  it.each([
    { name: 'a rule target', caller: { Type: 'AWS::Events::Rule', Properties: { Targets: [{ Arn: { 'Fn::GetAtt': 'Fn.Arn' } }] } } },
    { name: 'another function`s environment', caller: fn({}, { Environment: { Variables: { TARGET: { Ref: 'Fn' } } } }) },
    { name: 'a state machine naming its literal FunctionName', caller: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: 'arn:aws:lambda:us-east-1:1:function:named-fn' } } },
    { name: 'an authorizer of an API', caller: { Type: 'AWS::Serverless::Api', Properties: { Auth: { Authorizers: { Tok: { FunctionArn: { 'Fn::GetAtt': ['Fn', 'Arn'] } } } } } } },
    { name: 'an API`s stage variable', caller: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Rest' }, Variables: { fn: { Ref: 'Fn' } } } } },
  ])('leaves out a function $name may call', ({ caller }) => {
    const resources: Record<string, RawResource> = { Fn: fn({ A: apiEvent('Rest') }, { FunctionName: 'named-fn' }), Caller: caller as RawResource };

    expect(routeOnlyFunctions(resources, {}, false).has('Fn')).toBe(false);
  });

  it('leaves out a function with an event that runs locally, or a nested stack`s function its Outputs name', () => {
    const resources: Record<string, RawResource> = { Polled: fn({ A: apiEvent('Rest'), Q: { Type: 'SQS', Properties: { Queue: 'arn' } } }), Out: fn({ A: apiEvent('Rest') }) };

    const got = routeOnlyFunctions(resources, { Arn: { 'Fn::GetAtt': ['Out', 'Arn'] } }, true);

    expect([...got.keys()]).toEqual([]);
  });

  it('lists the events no local event source runs', () => {
    expect(routeOnlyFunctions({ Iot: fn({ R: { Type: 'IoTRule', Properties: {} } }) }, {}, false).get('Iot')).toEqual({ apis: [], unrun: [{ event: 'Iot.R', type: 'IoTRule' }] });
  });
});

describe('unreachedFunctions', () => {
  const groups: ResourceGroup[] = [
    { type: 'AWS::Serverless::Api', logicalIds: ['Bad'], status: 'not-emulated', detail: 'not served' },
    { type: 'AWS::Serverless::Api', logicalIds: ['Rest'], status: 'emulated' },
  ];

  it('names the not-emulated routes, the APIs not served and the unrun events of a function none of them reaches', () => {
    const template = {
      resources: groups,
      routeOnlyFunctions: new Map([
        ['Routed', { apis: ['Rest'], unrun: [] }],
        ['OnBad', { apis: ['Bad'], unrun: [] }],
        ['Iot', { apis: [], unrun: [{ event: 'Iot.R', type: 'IoTRule' }] }],
      ]),
    };

    const got = unreachedFunctions(template, [{ api: 'Rest', routes: [route('Routed', false), route('Routed', false, '/b')] }]);

    expect(Object.fromEntries(got)).toEqual({
      Routed: { status: 'not-emulated', detail: expect.stringMatching(/^not reached: only by route Rest GET \/a \(not emulated\), route Rest GET \/b \(not emulated\); it runs only when invoked/) },
      OnBad: { status: 'not-emulated', detail: expect.stringMatching(/^not reached: only by API Bad \(not served\);/) },
      Iot: { status: 'ignored', detail: expect.stringMatching(/^not reached: only by event Iot\.R \(IoTRule: no local event source runs it\);/) },
    });
  });

  it('claims nothing of a function one emulated route reaches, or of one a served API names in no route it reports', () => {
    const template = { resources: groups, routeOnlyFunctions: new Map([['Reached', { apis: ['Rest'], unrun: [] }], ['ByStageVariable', { apis: ['Rest'], unrun: [] }]]) };

    const got = unreachedFunctions(template, [{ api: 'Rest', routes: [route('Reached', false), route('Reached', true, '/b')] }]);

    expect(got.size).toBe(0);
  });

  it('moves each into a group of its own status, the groups kept in the report`s order', () => {
    const functions: ResourceGroup = { type: 'AWS::Serverless::Function', logicalIds: ['A', 'B'], status: 'emulated' };

    const got = withResourceStatuses([...groups, functions], new Map([['B', { status: 'ignored', detail: 'why' }]]));

    expect(got).toEqual([groups[0], { type: 'AWS::Serverless::Function', logicalIds: ['B'], status: 'ignored', detail: 'why' }, groups[1], { ...functions, logicalIds: ['A'] }]);
  });
});

describe('notEmulatedRouteResources', () => {
  it('names the resources of routes not emulated; an Integration one emulated route also uses is left EMULATED', () => {
    const routes: RouteInfo[] = [
      { ...route('Fn', false, '/a'), resources: ['RouteA', 'Shared'] },
      { ...route('Fn', true, '/b'), resources: ['RouteB', 'Shared'] },
      { ...route('Fn', false, '/c'), resources: ['RouteC', 'OnlyBad'] },
      { ...route('Fn', false, '/d'), resources: ['RouteD', 'OnlyBad'] },
    ];

    const got = notEmulatedRouteResources([{ api: 'Http', routes }]);

    expect(Object.fromEntries([...got].map(([id, v]) => [id, v.detail]))).toEqual({
      RouteA: 'its route Http GET /a is not emulated (why is listed with the route)',
      RouteC: 'its route Http GET /c is not emulated (why is listed with the route)',
      OnlyBad: 'its routes Http GET /c, Http GET /d are not emulated (why is listed with the route)',
      RouteD: 'its route Http GET /d is not emulated (why is listed with the route)',
    });
  });
});
