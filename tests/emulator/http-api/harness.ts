/** Drives createHttpGateway over an HTTP API fixture template (real loader) with the fake in-process invoker. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createHttpGateway, type HttpGatewayOptions } from '../../../emulator/gateway/http/pipeline.js';
import type { Gateway } from '../../../emulator/gateway/types.js';
import { CognitoPools, type IssueTokenInput } from '../../../emulator/identity/cognito.js';
import { LocalState } from '../../../emulator/identity/local-state.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { HttpApiSpec, LoadedTemplate } from '../../../emulator/template/model.js';
import { sendRequest, type Given, type Got } from '../conformance/harness.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';

export const SAM_TEMPLATE = fileURLToPath(new URL('../fixtures/http-api/template.yaml', import.meta.url));
export const CFN_TEMPLATE = fileURLToPath(new URL('../fixtures/http-api/cfn-template.yaml', import.meta.url));

/** A clock the tests move by hand (JWT times, authorizer caches, throttling). */
export interface Clock {
  nowMs: number;
}

export interface HttpHarness {
  gateway: Gateway;
  api: HttpApiSpec;
  template: LoadedTemplate;
  invoker: FakeInProcessInvoker;
  clock: Clock;
  logs: string[];
  send(given: Given): Promise<Got>;
  /** A token of the template's user pool, issued at the clock's time. */
  token(input: Partial<IssueTokenInput>): string;
}

/** The gateway of one HTTP API of a fixture template. */
export async function httpHarness(apiLogicalId: string, templatePath = SAM_TEMPLATE, extra: Partial<Pick<HttpGatewayOptions, 'services' | 'onRequest' | 'api'>> = {}): Promise<HttpHarness> {
  const template = await loadTemplate(templatePath);
  const api = template.httpApis.find((a) => a.logicalId === apiLogicalId);
  if (!api) throw new Error(`no HTTP API ${apiLogicalId} in ${templatePath}`);
  const invoker = new FakeInProcessInvoker(template);
  const clock: Clock = { nowMs: Date.UTC(2026, 0, 1) };
  const cognito = CognitoPools.fromTemplate(template, new LocalState(mkdtempSync(join(tmpdir(), 'http-api-'))));
  const logs: string[] = [];
  const gateway = createHttpGateway({ api, template, invoker, cognito, now: () => clock.nowMs, log: (l) => logs.push(l), ...extra });
  return {
    gateway,
    api,
    template,
    invoker,
    clock,
    logs,
    send: (given) => sendRequest(gateway, given),
    token: (input) => cognito.issueToken({ sub: 'user-1', tokenUse: 'id', issuedAt: Math.floor(clock.nowMs / 1000), ...input }),
  };
}

/** The 2.0 event the echo fixture received. */
export function echoedV2(got: Got): APIGatewayProxyEventV2 & { cookies?: string[] } {
  if (got.status !== 200) throw new Error(`expected the echo function to answer 200, got ${got.status}: ${got.text}`);
  return JSON.parse(got.text) as APIGatewayProxyEventV2;
}

/** YAML lines of one AWS::ApiGatewayV2::Integration (its properties as given, 6-space indented) and the Route targeting it, on `!Ref Api`. */
export function v2Route(id: string, routeKey: string, integrationProperties: string[]): string[] {
  return [
    `  ${id}Integration:`,
    '    Type: AWS::ApiGatewayV2::Integration',
    '    Properties:',
    '      ApiId: !Ref Api',
    ...integrationProperties,
    `  ${id}Route:`,
    '    Type: AWS::ApiGatewayV2::Route',
    '    Properties:',
    '      ApiId: !Ref Api',
    `      RouteKey: '${routeKey}'`,
    `      Target: !Sub integrations/\${${id}Integration}`,
  ];
}

/** YAML lines opening an AWS::Serverless::HttpApi whose inline OpenAPI document's paths follow (10-space indented). */
export function samHttpApiHead(id: string): string[] {
  return [`  ${id}:`, '    Type: AWS::Serverless::HttpApi', '    Properties:', '      DefinitionBody:', '        openapi: 3.0.1', `        info: { title: ${id}, version: "1" }`, '        paths:'];
}
