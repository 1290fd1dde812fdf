/**
 * Route selection of WebSocket APIs (emulator/gateway/websocket/route-selection.ts): the API's
 * RouteSelectionExpression evaluated on each message; the route of that key, else $default, else none.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, selectRoute } from '../../../../emulator/gateway/websocket/route-selection.js';

const KEYS = new Set(['$connect', '$disconnect', '$default', 'join', 'chat/join', '1', 'join-']);
const WITHOUT_DEFAULT = new Set(['$connect', 'join']);

describe('evaluate: the route selection expression on a message', () => {
  it.each([
    { given: { expression: '$request.body.action', message: '{"action":"join"}' }, want: 'join' },
    { given: { expression: '${request.body.action}', message: '{"action":"join"}' }, want: 'join' },
    { given: { expression: '${request.body.service}/${request.body.action}', message: '{"service":"chat","action":"join"}' }, want: 'chat/join' },
    { given: { expression: '${request.body.action}-${request.body.none}', message: '{"action":"join"}' }, want: 'join-' },
    { given: { expression: '$request.body.action', message: '{"action":1}' }, want: '1' },
    { given: { expression: '$request.body.message.type', message: '{"message":{"type":"ping"}}' }, want: 'ping' },
    { given: { expression: '$request.body.action', message: '{"other":1}' }, want: '' },
  ])('WS fact 4: $given.expression on $given.message → "$want"', ({ given, want }) => {
    expect(evaluate(given.expression, given.message)).toBe(want);
  });

  it.each([
    { given: 'a message that is not JSON', message: 'hello' },
    { given: 'an empty message', message: '' },
    { given: 'a binary message (no text)', message: undefined },
  ])('WS fact 4: $given cannot be evaluated (undefined)', ({ message }) => {
    expect(evaluate('$request.body.action', message)).toBeUndefined();
  });
});

describe('selectRoute: the route key a message runs', () => {
  describe.each([
    {
      expression: '$request.body.action',
      cases: [
        { given: '{"action":"join"}', want: 'join' },
        { given: '{"action":1}', want: '1' },
        { given: '{"action":"unknown"}', want: '$default' },
        { given: '{"other":"join"}', want: '$default' },
        { given: 'not json', want: '$default' },
        { given: '[1,2]', want: '$default' },
      ],
    },
    {
      expression: '${request.body.service}/${request.body.action}',
      cases: [
        { given: '{"service":"chat","action":"join"}', want: 'chat/join' },
        { given: '{"service":"chat"}', want: '$default' },
      ],
    },
    {
      expression: '${request.body.action}-${request.body.none}',
      cases: [{ given: '{"action":"join"}', want: 'join-' }],
    },
  ])('WS fact 4: expression $expression', ({ expression, cases }) => {
    it.each(cases)('$given → $want', ({ given, want }) => {
      expect(selectRoute(expression, given, KEYS)).toBe(want);
    });
  });

  it.each([
    { given: '{"action":"unknown"}', want: undefined },
    { given: 'not json', want: undefined },
    { given: '{"action":"join"}', want: 'join' },
  ])('WS fact 4: without a default route, $given → $want', ({ given, want }) => {
    expect(selectRoute('$request.body.action', given, WITHOUT_DEFAULT)).toBe(want);
  });

  it('WS fact 4: a binary message goes to $default', () => {
    expect(selectRoute('$request.body.action', undefined, KEYS)).toBe('$default');
  });
});
