/**
 * S3's errors as its REST API sends them: an XML document `<Error><Code>…</Code><Message>…</Message>…</Error>` with the
 * HTTP status S3 gives each code (S3 API Reference, "Error responses"); a HEAD request's error has no body.
 */
import { xmlDocument, xmlElement } from './xml.js';

export class S3Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** Elements S3 adds for this code (Key, BucketName, Method, ResourceType...). */
    readonly details: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const noSuchBucket = (bucket: string): S3Error => new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
export const noSuchKey = (key: string): S3Error => new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
export const invalidArgument = (message: string, name: string, value: string): S3Error => new S3Error('InvalidArgument', message, 400, { ArgumentName: name, ArgumentValue: value });
export const notImplemented = (what: string): S3Error =>
  new S3Error('NotImplemented', `A header or query you provided implies functionality that is not implemented (the local emulator's S3 does not serve ${what}).`, 501);

/** The error document; the request id and host id S3 puts in every error (no Resource: AWS's recorded answers carry none). */
export function errorXml(error: S3Error, requestId: string): string {
  const details = Object.entries(error.details).map(([name, value]) => xmlElement(name, value));
  return xmlDocument(
    `<Error>${xmlElement('Code', error.code)}${xmlElement('Message', error.message)}${details.join('')}${xmlElement('RequestId', requestId)}${xmlElement('HostId', hostId(requestId))}</Error>`,
  );
}

/** S3's x-amz-id-2: an opaque base64 token; here derived from the request id so that a log line can be matched with it. */
export function hostId(requestId: string): string {
  return Buffer.from(`local/${requestId}`).toString('base64');
}
