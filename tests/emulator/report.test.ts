/** The startup report's lines (emulator/report.ts): what the gateway does with each x-amazon-apigateway-* key. */
import { describe, expect, it } from 'vitest';
import { supportLines } from '../../emulator/report.js';
import type { SupportItem } from '../../emulator/gateway/types.js';

const item = (status: SupportItem['status'], subject: string, detail?: string): SupportItem => ({ status, subject, location: `paths./x.get.${subject}`, ...(detail ? { detail } : {}) });

describe('supportLines: one line per key, status and reason, counted', () => {
  it.each<{ given: string; items: SupportItem[]; want: string[] }>([
    {
      given: 'two authorizers not emulated for different reasons: each reason has its line',
      items: [item('not-emulated', 'x-amazon-apigateway-authorizer', 'type "cognito_user_pools" without providerARNs'), item('not-emulated', 'x-amazon-apigateway-authorizer', 'identitySource names no header')],
      want: ['  NOT EMULATED x-amazon-apigateway-authorizer - identitySource names no header', '  NOT EMULATED x-amazon-apigateway-authorizer - type "cognito_user_pools" without providerARNs'],
    },
    {
      given: 'the same key and reason four times: one line, counted',
      items: Array.from({ length: 4 }, () => item('emulated', 'x-amazon-apigateway-integration.httpMethod')),
      want: ['  EMULATED     x-amazon-apigateway-integration.httpMethod (x4)'],
    },
    {
      given: 'one key emulated here and ignored there: not-emulated first, then ignored, then emulated',
      items: [item('emulated', 'x-amazon-apigateway-integration.type'), item('ignored', 'x-amazon-apigateway-integration.type', 'mock'), item('not-emulated', 'x-amazon-apigateway-any-method', 'why')],
      want: ['  NOT EMULATED x-amazon-apigateway-any-method - why', '  IGNORED      x-amazon-apigateway-integration.type - mock', '  EMULATED     x-amazon-apigateway-integration.type'],
    },
  ])('$given', ({ items, want }) => {
    expect(supportLines(items)).toEqual(want);
  });
});
