/** Unit: the resource router (R11.6-R11.12) and stage prefix (R11.1/R11.2). */
import { describe, expect, it } from 'vitest';
import { Router, splitStage } from '../../../emulator/gateway/router.js';

function build(routes: [method: string, path: string][]): Router<string> {
  const router = new Router<string>();
  for (const [method, path] of routes) router.add(method, path, `${method} ${path}`);
  return router;
}

const table = build([
  ['GET', '/'],
  ['GET', '/pets'],
  ['POST', '/pets'],
  ['GET', '/pets/{id}'],
  ['GET', '/pets/mine'],
  ['ANY', '/pets/{id}/toys'],
  ['DELETE', '/pets/{id}/toys'],
  ['GET', '/Users'],
  ['ANY', '/files/{path+}'],
  ['POST', '/files/upload'],
  ['GET', '/{catchall+}'],
]);

describe('Router.match', () => {
  it.each([
    { given: ['GET', '/'], want: { route: 'GET /', params: null } },
    { given: ['GET', '/pets'], want: { route: 'GET /pets', params: null } },
    { given: ['GET', '/pets/'], want: { route: 'GET /pets', params: null } },
    { given: ['POST', '/pets'], want: { route: 'POST /pets', params: null } },
    { given: ['GET', '/pets/7'], want: { route: 'GET /pets/{id}', params: { id: '7' } } },
    { given: ['GET', '/pets/a%2Fb'], want: { route: 'GET /pets/{id}', params: { id: 'a%2Fb' } } },
    { given: ['GET', '/pets/mine'], want: { route: 'GET /pets/mine', params: null } },
    { given: ['PUT', '/pets/7/toys'], want: { route: 'ANY /pets/{id}/toys', params: { id: '7' } } },
    { given: ['DELETE', '/pets/7/toys'], want: { route: 'DELETE /pets/{id}/toys', params: { id: '7' } } },
    { given: ['PUT', '/files/a/b/c.txt'], want: { route: 'ANY /files/{path+}', params: { path: 'a/b/c.txt' } } },
    { given: ['GET', '/files/upload'], want: { route: 'ANY /files/{path+}', params: { path: 'upload' } } },
    { given: ['POST', '/files/upload'], want: { route: 'POST /files/upload', params: null } },
    { given: ['GET', '/users'], want: { route: 'GET /{catchall+}', params: { catchall: 'users' } } },
    { given: ['GET', '/Users'], want: { route: 'GET /Users', params: null } },
    { given: ['GET', '/x//y/'], want: { route: 'GET /{catchall+}', params: { catchall: 'x//y' } } },
    { given: ['GET', '/pets/7/unknown'], want: { route: 'GET /{catchall+}', params: { catchall: 'pets/7/unknown' } } },
    { given: ['PUT', '/pets'], want: undefined },
    { given: ['HEAD', '/pets'], want: undefined },
    { given: ['POST', '/nothing'], want: undefined },
  ])('R11.6-R11.12 $given.0 $given.1', ({ given, want }) => {
    const match = table.match(given[0] as string, given[1] as string);
    expect(match ? { route: match.route, params: match.pathParameters } : undefined).toEqual(want);
  });

  it('R11.9 resourcePath of a greedy fallback is the greedy template', () => {
    expect(table.match('GET', '/files/upload')?.resourcePath).toBe('/files/{path+}');
  });

  it.each([
    { given: [['GET', '/a/{p+}/b']], want: /greedy path variable must be the last segment/ },
    { given: [['GET', '/a/{p+}'], ['GET', '/a/{p+}/x']], want: /greedy path variable must be the last segment/ },
    { given: [['GET', '/a/{id}'], ['GET', '/a/{other}']], want: /only one is allowed/ },
    { given: [['GET', '/a/{id}'], ['GET', '/a/{p+}']], want: /only one is allowed/ },
    { given: [['GET', '/res{id}']], want: /must be a whole segment/ },
    { given: [['GET', '/{proxy++}']], want: /path part only allow a-zA-Z0-9\._- and curly braces/ },
    { given: [['GET', '/a/{id:int}']], want: /path part only allow a-zA-Z0-9\._- and curly braces/ },
    { given: [['GET', '/a/{+}']], want: /path part only allow a-zA-Z0-9\._- and curly braces/ },
    { given: [['GET', '/a'], ['GET', '/a']], want: /duplicate route GET \/a/ },
  ] as { given: [string, string][]; want: RegExp }[])('R11.3 / R11.8 rejects $given', ({ given, want }) => {
    expect(() => build(given)).toThrow(want);
  });

  it.each(['/a/{item-id}', '/a/{v1.2}', '/a/{_x}', '/{proxy+}'])('R11.3 accepts the variable %s', (path) => {
    expect(() => build([['GET', path]])).not.toThrow();
  });
});

describe('splitStage', () => {
  it.each([
    { given: '/prod/pets', want: { path: '/pets' } },
    { given: '/prod', want: { path: '/' } },
    { given: '/prod/', want: { path: '/' } },
    { given: '/prod//x', want: { path: '//x' } },
    { given: '/production/pets', want: undefined },
    { given: '/Prod/pets', want: undefined },
    { given: '/pets', want: undefined },
  ])('R11.1 / R11.2 $given', ({ given, want }) => {
    expect(splitStage(given, 'prod')).toEqual(want);
  });
});
