/** Signature Version 2 against the S3 User Guide's own examples ("Authenticating Requests (AWS Signature Version 2)"). */
import { describe, expect, it } from 'vitest';
import { isV2, verifyV2 } from '../../../../emulator/services/s3/sigv2.js';

const DOCS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const DATE = 'Tue, 27 Mar 2007 19:36:42 +0000';

describe('verifyV2', () => {
  it('the guide`s object GET with an Authorization header verifies at its date, and is RequestTimeTooSkewed an hour later', () => {
    const req = { method: 'GET', url: '/awsexamplebucket1/photos/puppy.jpg', headers: { date: DATE, authorization: 'AWS AKIAIOSFODNN7EXAMPLE:qgk2+6Sv9/oM7G3qLEjTH1a1l1g=' } };

    expect(isV2(req)).toBe(true);
    expect(verifyV2(req, DOCS, Date.parse(DATE))).toBeUndefined();
    expect(verifyV2(req, DOCS, Date.parse(DATE) + 3_600_000)?.code).toBe('RequestTimeTooSkewed');
  });

  it('the guide`s query string authentication verifies before its Expires and is "Request has expired" after', () => {
    const req = { method: 'GET', url: '/johnsmith/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D', headers: {} };

    expect(verifyV2(req, DOCS, 1175139620_000 - 1000)).toBeUndefined();
    expect(verifyV2(req, DOCS, 1175139620_000 + 1000)?.message).toBe('Request has expired');
  });

  it.each([
    { given: 'another method', req: { method: 'PUT', url: '/awsexamplebucket1/photos/puppy.jpg' }, want: 'SignatureDoesNotMatch' },
    { given: 'another key', req: { method: 'GET', url: '/awsexamplebucket1/photos/kitten.jpg' }, want: 'SignatureDoesNotMatch' },
    { given: 'an x-amz header added', req: { method: 'GET', url: '/awsexamplebucket1/photos/puppy.jpg', extra: { 'x-amz-meta-a': 'b' } }, want: 'SignatureDoesNotMatch' },
    { given: 'a query parameter that is no sub-resource', req: { method: 'GET', url: '/awsexamplebucket1/photos/puppy.jpg?foo=bar' }, want: undefined },
  ])('$given: $want', ({ req, want }) => {
    const request = { method: req.method, url: req.url, headers: { date: DATE, authorization: 'AWS AKIAIOSFODNN7EXAMPLE:qgk2+6Sv9/oM7G3qLEjTH1a1l1g=', ...('extra' in req ? req.extra : {}) } };

    expect(verifyV2(request, DOCS, Date.parse(DATE))?.code).toBe(want);
  });

  it('another access key is InvalidAccessKeyId; a Version 4 request is not Version 2', () => {
    const req = { method: 'GET', url: '/b/k', headers: { date: DATE, authorization: 'AWS AKIAOTHER:qgk2+6Sv9/oM7G3qLEjTH1a1l1g=' } };

    expect(verifyV2(req, DOCS, Date.parse(DATE))?.code).toBe('InvalidAccessKeyId');
    expect(isV2({ method: 'GET', url: '/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x' } })).toBe(false);
  });
});
