/**
 * IAM (SigV4) authorization of API Gateway methods and routes (`AWS_IAM`, `awsSigv4`): the request must be
 * signed for `execute-api` with the local credentials, checked over the request as the client sent it.
 * IAM policies are not evaluated: every valid signature by the local access key is allowed.
 */
import { createHash } from 'node:crypto';
import { allValues } from '../gateway/name-maps.js';
import type { HeaderList } from '../gateway/request-state.js';
import { verifySignature, type LocalCredentials, type SignatureProblem } from '../services/sigv4.js';

/** What an IAM check needs: the local credentials, the API's region and account, the injectable clock. */
export interface IamOptions {
  credentials: LocalCredentials;
  region: string;
  accountId: string;
  /** Epoch milliseconds; the signature's 5-minute window is measured against it. */
  now: () => number;
}

/** The caller of a signed request, as requestContext.identity (REST, R1.28) and authorizer.iam (HTTP, H4.19) show it. */
export interface IamCaller {
  accessKey: string;
  accountId: string;
  /** The IAM user id (AIDA...): `caller` and `user` on REST, `callerId` and `userId` on HTTP APIs. */
  userId: string;
  userArn: string;
}

/** The request exactly as received: method, path with the stage and the raw query, headers, body. */
export interface ReceivedRequest {
  method: string;
  /** Path as on the wire (still percent-encoded), with `?query` when there is one. */
  target: string;
  headers: HeaderList;
  body: Uint8Array;
}

export type IamOutcome = { ok: true; caller: IamCaller } | { ok: false; problem: SignatureProblem };

/** The local IAM user the emulator presents as every signer: named `sam-local-gateway`, its id derived from the key. */
export function localIamCaller(options: Pick<IamOptions, 'credentials' | 'accountId'>): IamCaller {
  const digest = createHash('sha256').update(options.credentials.accessKeyId).digest();
  const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const userId = `AIDA${[...digest.subarray(0, 17)].map((b) => base32[b % 32]).join('')}`;
  return { accessKey: options.credentials.accessKeyId, accountId: options.accountId, userId, userArn: `arn:aws:iam::${options.accountId}:user/sam-local-gateway` };
}

/** The headers as the verifier reads them: lower-case names, repeated headers as lists. */
function headerRecord(headers: HeaderList): Record<string, string[]> {
  return allValues(headers.map(([name, value]) => [name.toLowerCase(), value]));
}

/**
 * API Gateway's IAM check: a SigV4 signature (header or presigned query) for execute-api in the API's region, 5
 * minutes of skew; a Lambda function URL's is the same for service `lambda`.
 */
export function checkIam(request: ReceivedRequest, options: IamOptions, service: 'execute-api' | 'lambda' = 'execute-api'): IamOutcome {
  const problem = verifySignature(
    { method: request.method, url: request.target, headers: headerRecord(request.headers), body: Buffer.from(request.body) },
    options.credentials,
    { now: options.now(), maxSkewMinutes: 5, service, region: options.region, presigned: true, hashBody: true },
  );
  return problem ? { ok: false, problem } : { ok: true, caller: localIamCaller(options) };
}
