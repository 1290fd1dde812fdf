/** Lambda's per-invocation trace id (`_X_AMZN_TRACE_ID`): the caller's Root and Sampled kept, a Parent of its own. */
import { describe, expect, it } from 'vitest';
import { invocationTraceId } from '../../../emulator/lambda/trace-id.js';

const NOW = Date.UTC(2026, 11, 3, 7, 0, 0);
const NOW_HEX = Math.floor(NOW / 1000).toString(16);

describe('invocationTraceId', () => {
  it.each([
    { given: 'no caller trace', header: undefined, want: new RegExp(`^Root=1-${NOW_HEX}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$`) },
    { given: 'API Gateway`s Root only', header: 'Root=1-5759e988-bd862e3fe1be46a994272793', want: /^Root=1-5759e988-bd862e3fe1be46a994272793;Parent=[0-9a-f]{16};Sampled=0$/ },
    { given: 'a sampled caller with its own Parent', header: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1', want: /^Root=1-5759e988-bd862e3fe1be46a994272793;Parent=(?!53995c3f42cd8ad8)[0-9a-f]{16};Sampled=1$/ },
    { given: 'fields in another order, with spaces', header: 'Sampled=1; Root=1-5759e988-bd862e3fe1be46a994272793', want: /^Root=1-5759e988-bd862e3fe1be46a994272793;Parent=[0-9a-f]{16};Sampled=1$/ },
    { given: 'a malformed Root (a new one, and its Sampled ignored)', header: 'Root=not-a-root;Sampled=1', want: new RegExp(`^Root=1-${NOW_HEX}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$`) },
  ])('$given', ({ header, want }) => {
    expect(invocationTraceId(header, NOW)).toMatch(want);
  });

  it('two invocations of one request share the Root, not the Parent', () => {
    const header = 'Root=1-5759e988-bd862e3fe1be46a994272793';
    const [a, b] = [invocationTraceId(header, NOW), invocationTraceId(header, NOW)];
    expect(a.split(';')[0]).toBe(b.split(';')[0]);
    expect(a.split(';')[1]).not.toBe(b.split(';')[1]);
  });
});
