/** Hand-written fixture authorizer functions (what real authorizer handlers return or throw). */
import type { FixtureHandler } from './fixtures.js';

const allow = (resource: string | string[], extra: Record<string, unknown> = {}) => ({
  principalId: 'user-1',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }] },
  ...extra,
});

export const fixtureAuthorizers: Record<string, FixtureHandler> = {
  /** Allows everything of the API with a wildcard resource, passing context of every allowed type. */
  AllowAll: (event) =>
    allow(`${String(event.methodArn).split('/')[0]}/*`, {
      context: { n: 1, b: true, s: 'x', nothing: null },
      usageIdentifierKey: 'usage-key-from-authorizer-0001',
    }),
  /** Allows exactly the method ARN it was called for (the classic caching pitfall, R7.20). */
  AllowThisArn: (event) => allow(String(event.methodArn)),
  /** Allows `.../GET/a` only. */
  AllowGetA: (event) => allow(String(event.methodArn).replace(/\/GET\/.*$/, '/GET/a')),
  ExplicitDeny: (event) => ({
    principalId: 'user-1',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' },
        { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: String(event.methodArn) },
      ],
    },
  }),
  ThrowsUnauthorized: () => {
    throw new Error('Unauthorized');
  },
  ThrowsOther: () => {
    throw new Error('database down');
  },
  ReturnsEmpty: () => ({}),
  ReturnsNull: () => null,
  ReturnsProxyShape: () => ({ statusCode: 200, body: 'ok' }),
  ObjectContext: () => allow('*', { context: { nested: {} } }),
  ArrayContext: () => allow('*', { context: { list: [1] } }),
  WrongAction: () => ({ principalId: 'p', policyDocument: { Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Resource: '*' }] } }),
  ActionWildcard: () => ({ principalId: 'p', policyDocument: { Statement: [{ Action: ['execute-api:*'], Effect: 'Allow', Resource: ['*'] }] } }),
  NoPrincipal: () => ({ policyDocument: { Statement: [{ Action: '*', Effect: 'Allow', Resource: '*' }] } }),
};
