import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import { endLine, reportLine, startLine, timeoutLine } from '../../../emulator/lambda/platform-log.js';
import { FakeClock } from './support/fake-clock.js';

const FIXTURE = resolve('tests/emulator/fixtures/runtime-app/template.yaml');
const BUILD_DIR = resolve('.emulator/test-build', randomUUID());
const ID = '8f507cfc-0000-4697-b07a-ac58fc914c95';
// Only where /proc says (Linux) is the peak known; elsewhere the field is left out rather than made up.
const MAX_MEMORY = process.platform === 'linux' ? '\\tMax Memory Used: \\d+ MB' : '';

describe('Lambda platform log lines', () => {
  it.each([
    { given: 'a warm invocation', report: { requestId: ID, durationMs: 12.34, memorySizeMb: 128, maxMemoryUsedMb: 45 }, want: `REPORT RequestId: ${ID}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB` },
    { given: 'a cold start', report: { requestId: ID, durationMs: 2.5, memorySizeMb: 256, maxMemoryUsedMb: 60, initDurationMs: 123.456 }, want: `REPORT RequestId: ${ID}\tDuration: 2.50 ms\tBilled Duration: 3 ms\tMemory Size: 256 MB\tMax Memory Used: 60 MB\tInit Duration: 123.46 ms` },
    { given: 'a whole number of ms (no rounding up past it)', report: { requestId: ID, durationMs: 7, memorySizeMb: 128, maxMemoryUsedMb: 45 }, want: `REPORT RequestId: ${ID}\tDuration: 7.00 ms\tBilled Duration: 7 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB` },
    { given: 'an invocation under 1 ms', report: { requestId: ID, durationMs: 0.2, memorySizeMb: 128, maxMemoryUsedMb: 45 }, want: `REPORT RequestId: ${ID}\tDuration: 0.20 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB` },
    { given: 'a peak memory this machine cannot read', report: { requestId: ID, durationMs: 1.01, memorySizeMb: 512 }, want: `REPORT RequestId: ${ID}\tDuration: 1.01 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB` },
    { given: 'a timeout', report: { requestId: ID, durationMs: 3000, memorySizeMb: 128, maxMemoryUsedMb: 50, timedOut: true }, want: `REPORT RequestId: ${ID}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 50 MB\tStatus: timeout` },
  ])('REPORT for $given', ({ report, want }) => {
    const line = reportLine(report);

    expect(line).toBe(want);
  });

  it('START, END and the timeout notice carry the request id as Lambda writes them', () => {
    const at = new Date('2026-12-06T04:00:00.123Z');

    const lines = [startLine(ID), timeoutLine(at, ID, 3000), endLine(ID)];

    expect(lines).toEqual([`START RequestId: ${ID} Version: $LATEST`, `2026-12-06T04:00:00.123Z ${ID} Task timed out after 3.00 seconds`, `END RequestId: ${ID}`]);
  });
});

describe('LocalLambdaService writes the platform lines of each invocation, on a fake clock', () => {
  let clock: FakeClock;
  let service: LocalLambdaService;
  let lines: string[];

  beforeEach(async () => {
    clock = new FakeClock();
    lines = [];
    service = new LocalLambdaService(await loadTemplate(FIXTURE), { buildDir: BUILD_DIR, clock, maxConcurrencyPerFunction: 1, platformLog: (line) => lines.push(line) });
  });
  afterEach(async () => {
    await service.close();
  });
  afterAll(() => rmSync(BUILD_DIR, { recursive: true, force: true }));

  it('a cold start then a warm one: START, END, REPORT with the context`s request id, MemorySize, measured durations; Init Duration on the cold one only', async () => {
    const cold = service.invoke('BehaviorFunction', { action: 'context' }, { requestId: ID });
    // The init limit's timer is armed once the environment starts its init; the Timeout's once the invocation starts.
    await clock.armed(10_000);
    clock.advance(123.45);
    await clock.armed(1000);
    clock.advance(12.34);
    const coldOutcome = await cold;
    const warm = service.invoke('BehaviorFunction', { action: 'count' });
    await clock.armed(1000);
    clock.advance(2);
    await warm;

    expect(coldOutcome).toMatchObject({ kind: 'ok', payload: { awsRequestId: ID } });
    expect(lines).toHaveLength(6);
    expect(lines.slice(0, 3)).toEqual([`START RequestId: ${ID} Version: $LATEST`, `END RequestId: ${ID}`, expect.stringMatching(new RegExp(`^REPORT RequestId: ${ID}\\tDuration: 12\\.34 ms\\tBilled Duration: 13 ms\\tMemory Size: 256 MB${MAX_MEMORY}\\tInit Duration: 123\\.45 ms$`))]);
    const warmId = /^START RequestId: ([0-9a-f-]{36}) Version: \$LATEST$/.exec(lines[3]!)?.[1];
    expect(warmId).toBeDefined();
    expect(lines.slice(4)).toEqual([`END RequestId: ${warmId}`, expect.stringMatching(new RegExp(`^REPORT RequestId: ${warmId}\\tDuration: 2\\.00 ms\\tBilled Duration: 2 ms\\tMemory Size: 256 MB${MAX_MEMORY}$`))]);
  });

  it('a timeout: the "Task timed out" notice before END, and REPORT with Status: timeout', async () => {
    const timedOut = service.invoke('BehaviorFunction', { action: 'sleep', ms: 60_000 }, { requestId: ID });
    await clock.armed(1000);
    clock.advance(1000);
    await timedOut;

    expect(lines).toEqual([
      `START RequestId: ${ID} Version: $LATEST`,
      expect.stringMatching(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ${ID} Task timed out after 1\\.00 seconds$`)),
      `END RequestId: ${ID}`,
      expect.stringMatching(new RegExp(`^REPORT RequestId: ${ID}\\tDuration: 1000\\.00 ms\\tBilled Duration: 1000 ms\\tMemory Size: 256 MB${MAX_MEMORY}\\tInit Duration: \\d+\\.\\d\\d ms\\tStatus: timeout$`)),
    ]);
  });
});
