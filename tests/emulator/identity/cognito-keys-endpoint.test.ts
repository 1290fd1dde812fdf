/**
 * A function that verifies Cognito tokens itself fetches the pool's published keys from
 * `https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json` (Cognito Developer Guide, "Verifying a
 * JSON Web Token"), as serverless-samples' Lambda authorizers do. Locally that host is the template's pools: Node.js
 * (https.get and fetch) and Python (urllib) get the keys local tokens are signed with, trusting the local certificate;
 * a pool the template lacks is a named 404, on the terminal too, where it was a DNS failure or a call to AWS.
 */
import { spawnSync } from 'node:child_process';
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;

const NODE_HANDLER = `const https = require('node:https');
const get = (url) => new Promise((resolve, reject) => https.get(url, (res) => { let b = ''; res.on('data', (c) => (b += c)); res.on('end', () => resolve({ status: res.statusCode, body: b })); }).on('error', reject));
exports.handler = async (event) => {
  const pool = event.pathParameters.which === 'other' ? 'us-east-1_NotLocal' : process.env.POOL;
  const url = 'https://cognito-idp.' + process.env.AWS_REGION + '.amazonaws.com/' + pool + '/.well-known/jwks.json';
  const viaGet = await get(url);
  const viaFetch = await fetch(url).then(async (r) => ({ status: r.status, body: await r.text() }));
  return { statusCode: 200, body: JSON.stringify({ viaGet, viaFetch }) };
};
`;

const PYTHON_HANDLER = `import json, os, urllib.request, urllib.error

def handler(event, context):
    pool = "us-east-1_NotLocal" if event["pathParameters"]["which"] == "other" else os.environ["POOL"]
    url = "https://cognito-idp.%s.amazonaws.com/%s/.well-known/jwks.json" % (os.environ["AWS_REGION"], pool)
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return {"statusCode": 200, "body": json.dumps({"status": answer.status, "body": answer.read().decode()})}
    except urllib.error.HTTPError as refused:
        return {"statusCode": 200, "body": json.dumps({"status": refused.code, "body": refused.read().decode()})}
`;

const POOLS = `  Pool:
    Type: AWS::Cognito::UserPool
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties: {UserPoolId: !Ref Pool}
`;

/** The functions, each given a pool id to fetch the keys of. */
const functions = (pool: string): string => `  NodeKeys:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: keys.handler
      Runtime: nodejs20.x
      Environment: {Variables: {POOL: ${pool}}}
      Events:
        Get:
          Type: Api
          Properties: {Path: '/node/{which}', Method: get}
${hasPython ? `  PyKeys:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: keys_py.handler
      Runtime: python3.11
      Environment: {Variables: {POOL: ${pool}}}
      Events:
        Get:
          Type: Api
          Properties: {Path: '/py/{which}', Method: get}
` : ''}`;

const HEADER = 'Transform: AWS::Serverless-2016-10-31\nResources:\n';
const TEMPLATE = HEADER + POOLS + functions('!Ref Pool');

type Fetched = { status: number; body: string };

/** Whether an RS256 token verifies with one of these keys. */
function verifies(token: string, jwks: { keys: (JsonWebKey & { kid: string })[] }): boolean {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
  const jwk = jwks.keys.find((k) => k.kid === kid);
  if (!jwk) return false;
  return verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(signature, 'base64url'));
}

describe("functions fetching a user pool's published keys", () => {
  let dir: string;
  let emulator: RunningEmulator;
  const logged: string[] = [];
  const call = async (path: string): Promise<unknown> => (await fetch(`${emulator.apis[0]!.url}${path}`)).json();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cognito-keys-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'keys.js'), NODE_HANDLER);
    writeFileSync(join(dir, 'src', 'keys_py.py'), PYTHON_HANDLER);
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
    emulator = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: join(dir, 'local'), log: (line) => logged.push(line), onNotServed: () => undefined });
  });

  afterAll(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a Node.js function gets the keys local tokens are signed with, through https.get and fetch', async () => {
    // Prepare
    const token = emulator.issueToken({ sub: 'alice' });

    // Act
    const { viaGet, viaFetch } = (await call('/node/own')) as { viaGet: Fetched; viaFetch: Fetched };

    // Assess
    expect([viaGet.status, viaFetch.status]).toEqual([200, 200]);
    expect(viaFetch.body).toBe(viaGet.body);
    expect(verifies(token, JSON.parse(viaGet.body) as { keys: (JsonWebKey & { kid: string })[] })).toBe(true);
    expect(emulator.functionNotes.join('\n')).toMatch(/cognito-idp\.us-east-1\.amazonaws\.com\/<poolId>\/\.well-known\/jwks\.json/);
  });

  it.runIf(hasPython)('a Python function gets them through urllib, trusting the local certificate', async () => {
    // Prepare
    const token = emulator.issueToken({ sub: 'alice' });

    // Act
    const answer = (await call('/py/own')) as Fetched;

    // Assess
    expect(answer.status).toBe(200);
    expect(verifies(token, JSON.parse(answer.body) as { keys: (JsonWebKey & { kid: string })[] })).toBe(true);
  });

  it('a pool the template lacks is a 404 naming what is served, and a line on the terminal', async () => {
    // Act
    const { viaGet } = (await call('/node/other')) as { viaGet: Fetched };

    // Assess
    expect(viaGet.status).toBe(404);
    expect(JSON.parse(viaGet.body)).toMatchObject({ __type: 'ResourceNotFoundException', message: expect.stringMatching(/us-east-1_NotLocal is not a pool of this template/) });
    expect(logged.join('\n')).toMatch(/Cognito \(cognito-idp\.us-east-1\.amazonaws\.com\): user pool us-east-1_NotLocal/);
  });

  it('a template without user pools: a function fetching the keys of another stack\'s pool (an unresolved import) gets the named 404, not a call to AWS', async () => {
    // Prepare
    const bare = mkdtempSync(join(tmpdir(), 'cognito-keys-bare-'));
    mkdirSync(join(bare, 'src'));
    writeFileSync(join(bare, 'src', 'keys.js'), NODE_HANDLER);
    writeFileSync(join(bare, 'src', 'keys_py.py'), PYTHON_HANDLER);
    writeFileSync(join(bare, 'template.yaml'), HEADER + functions('!ImportValue cognito-stack-UserPool'));
    const lines: string[] = [];
    const other = await startEmulator({ templatePath: join(bare, 'template.yaml'), port: 0, localDir: join(bare, 'local'), log: (line) => lines.push(line), onNotServed: () => undefined });

    try {
      // Act
      const { viaGet } = (await (await fetch(`${other.apis[0]!.url}/node/own`)).json()) as { viaGet: Fetched };

      // Assess
      expect(viaGet.status).toBe(404);
      expect(JSON.parse(viaGet.body)).toMatchObject({ message: expect.stringMatching(/emulator-unresolved:ImportValue\/cognito-stack-UserPool is not a pool of this template.*it has none/) });
      expect(lines.join('\n')).toMatch(/Cognito \(cognito-idp\.us-east-1\.amazonaws\.com\): user pool emulator-unresolved:ImportValue\/cognito-stack-UserPool/);
    } finally {
      await other.close();
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
