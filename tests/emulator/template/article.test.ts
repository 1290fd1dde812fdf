/** The article before a word a template supplies, in the start report's and warnings' sentences. */
import { describe, expect, it } from 'vitest';
import { withArticle } from '../../../emulator/template/article.js';

describe('withArticle', () => {
  it.each([
    { word: 'AWS::ApiGateway::RestApi', want: 'an AWS::ApiGateway::RestApi' },
    { word: 'OPTIONS', want: 'an OPTIONS' },
    { word: 'ANY', want: 'an ANY' },
    { word: 'HttpApi', want: 'an HttpApi' },
    { word: 'SQS', want: 'an SQS' },
    { word: 'SNS', want: 'an SNS' },
    { word: 'S3', want: 'an S3' },
    { word: 'EventBridge', want: 'an EventBridge' },
    { word: 'MSK', want: 'an MSK' },
    { word: 'GET', want: 'a GET' },
    { word: 'Lambda', want: 'a Lambda' },
    { word: 'Schedule', want: 'a Schedule' },
    { word: 'DynamoDB', want: 'a DynamoDB' },
  ])('$word: $want', ({ word, want }) => {
    expect(withArticle(word)).toBe(want);
  });
});
