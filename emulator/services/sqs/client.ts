/** A minimal SQS client (AWS JSON 1.0, SigV4-signed) for the event source pollers: what Lambda's pollers call. */
import { signRequest, type LocalCredentials } from '../sigv4.js';

export class SqsCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SqsCaller {
  call(action: string, input: Record<string, unknown>, signal?: AbortSignal): Promise<Record<string, unknown>>;
}

/** Calls on `endpoint` (the embedded SQS), signed for `region` with the local credentials. */
export function sqsClient(endpoint: string, credentials: LocalCredentials, region: string): SqsCaller {
  return {
    async call(action, input, signal) {
      const url = new URL('/', endpoint);
      const body = JSON.stringify(input);
      const headers = signRequest(credentials, { method: 'POST', url, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` }, body, region, service: 'sqs' });
      const res = await fetch(url, { method: 'POST', headers, body, ...(signal ? { signal } : {}) });
      const text = await res.text();
      const parsed = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      if (!res.ok) throw new SqsCallError(String(parsed.__type ?? res.status).replace(/^.*#/, ''), String(parsed.message ?? text));
      return parsed;
    },
  };
}
