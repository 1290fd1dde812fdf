/**
 * A bucket the embedded S3 does not create (its name one S3 refuses: InvalidBucketName) is no working bucket: the
 * start report lists its resource NOT EMULATED with why, and its notifications as never sent, never as EMULATED
 * (never fail silently); --strict refuses it. The other buckets are unaffected.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, StrictModeError } from '../../../../emulator/app.js';
import { formatStartupReport } from '../../../../emulator/report.js';

const FUNCTIONS = resolve('tests/emulator/fixtures/http-api/functions');
const dir = mkdtempSync(join(tmpdir(), 'refused-bucket-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const template = join(dir, 'template.yaml');
writeFileSync(
  template,
  [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  Good: { Type: AWS::S3::Bucket, Properties: { BucketName: good-bucket } }',
    '  Bad: { Type: AWS::S3::Bucket, Properties: { BucketName: Bad_Name } }',
    '  OnUpload:',
    '    Type: AWS::Serverless::Function',
    `    Properties: { CodeUri: '${FUNCTIONS}', Runtime: nodejs22.x, Handler: echo.handler, Events: { Good: { Type: S3, Properties: { Bucket: !Ref Good, Events: 's3:ObjectCreated:*' } }, Bad: { Type: S3, Properties: { Bucket: !Ref Bad, Events: 's3:ObjectCreated:*' } } } }`,
  ].join('\n'),
);
const options = { templatePath: template, port: 0, localDir: join(dir, '.local'), log: () => {}, onRequest: () => {} };

describe('an AWS::S3::Bucket whose name S3 refuses', () => {
  it('is listed NOT EMULATED with S3`s reason, its notification never sent; the valid bucket stays EMULATED', async () => {
    // Act
    const emulator = await startEmulator(options);
    let report: string;
    try {
      report = formatStartupReport(emulator, 1);
    } finally {
      await emulator.close();
    }

    // Assess
    const lines = report.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}EMULATED {5}AWS::S3::Bucket: Good$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}NOT EMULATED AWS::S3::Bucket: Bad - not created: InvalidBucketName: must be lower-case/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}Bad \(Bad_Name\): NOT CREATED \(InvalidBucketName: must be lower-case.*\): its notifications are never sent: OnUpload\.Bad$/));
    expect(lines).toContainEqual('  Good (good-bucket): notifies OnUpload (function, s3:ObjectCreated:*)');
    expect(lines.filter((l) => l.includes('Bad') && l.includes('notifies'))).toEqual([]);
  });

  it('--strict refuses to start, naming it', async () => {
    // Act
    const error = await startEmulator({ ...options, strict: true }).then(
      async (emulator) => {
        await emulator.close();
        return undefined;
      },
      (e: unknown) => e,
    );

    // Assess
    expect(error).toBeInstanceOf(StrictModeError);
    expect((error as Error).message).toMatch(/Resources\.Bad \(AWS::S3::Bucket\): not created: InvalidBucketName/);
  });
});

describe('an AWS::S3::Bucket named from a parameter that has no value (serverless-samples` monetization stack)', () => {
  const file = join(dir, 'unnamed.yaml');
  writeFileSync(
    file,
    [
      'Transform: AWS::Serverless-2016-10-31',
      'Parameters:',
      '  Project: { Type: String }',
      'Resources:',
      '  Reports: { Type: AWS::S3::Bucket, Properties: { BucketName: !Sub "${Project}-reports" } }',
      '  OnReport:',
      '    Type: AWS::Serverless::Function',
      `    Properties: { CodeUri: '${FUNCTIONS}', Runtime: nodejs22.x, Handler: echo.handler, Events: { Put: { Type: S3, Properties: { Bucket: !Ref Reports, Events: 's3:ObjectCreated:*' } } } }`,
      '',
    ].join('\n'),
  );

  it('is said not created because of the placeholder its name holds, S3`s reason after it', async () => {
    const emulator = await startEmulator({ ...options, templatePath: file });
    let report: string;
    try {
      report = formatStartupReport(emulator, 1);
    } finally {
      await emulator.close();
    }

    expect(report).toContain('  NOT EMULATED AWS::S3::Bucket: Reports - not created: its name holds the placeholder "emulator-unresolved:Parameter/Project" (no such value locally), which S3 refuses (InvalidBucketName: must be lower-case');
    expect(report).toContain('NOT APPLIED  Parameters.Project: no Default and no --parameter-overrides value');
  });
});
