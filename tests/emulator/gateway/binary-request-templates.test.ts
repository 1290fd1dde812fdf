/**
 * R2.11 said at start: binaryMediaTypes that match application/json (a request without a Content-Type is taken as
 * one) keep an integration's application/json request template from applying without CONVERT_TO_TEXT, so those
 * methods answer 500. 14MR/lambda-example: SAM Cors with BinaryMediaTypes "*~1*", every generated preflight failed.
 */
import { describe, expect, it } from 'vitest';
import { binaryRequestTemplateItems } from '../../../emulator/gateway/binary-request-templates.js';
import type { OpenApiDocument } from '../../../emulator/template/model.js';

const MOCK = { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' } };
const doc = (types: string[] | undefined, integration: Record<string, unknown>): OpenApiDocument => ({
  openapi: '3.0.1',
  info: { title: 't', version: '1' },
  paths: { '/news': { options: { 'x-amazon-apigateway-integration': integration } } },
  ...(types ? { 'x-amazon-apigateway-binary-media-types': types } : {}),
});

describe('binaryRequestTemplateItems', () => {
  it.each([
    { given: '*/* and a SAM Cors mock', types: ['*/*'], integration: MOCK, named: 'OPTIONS /news' },
    { given: 'application/* and an aws integration with a template', types: ['application/*'], integration: { ...MOCK, type: 'aws' }, named: 'OPTIONS /news' },
    { given: '*/* and CONVERT_TO_TEXT', types: ['*/*'], integration: { ...MOCK, contentHandling: 'CONVERT_TO_TEXT' }, named: undefined },
    { given: 'image/png only', types: ['image/png'], integration: MOCK, named: undefined },
    { given: 'no binary media types', types: undefined, integration: MOCK, named: undefined },
    { given: '*/* and a Lambda proxy (no template)', types: ['*/*'], integration: { type: 'aws_proxy', httpMethod: 'POST', uri: 'arn' }, named: undefined },
    { given: '*/* and a template for text/plain only', types: ['*/*'], integration: { type: 'mock', requestTemplates: { 'text/plain': '{}' } }, named: undefined },
  ])('R2.11 $given', ({ types, integration, named }) => {
    // Act
    const items = binaryRequestTemplateItems(doc(types, integration));

    // Assess
    expect(items).toEqual(named ? [expect.objectContaining({ status: 'emulated', detail: expect.stringContaining(`binary here: ${named} answer such requests 500`) })] : []);
  });
});
