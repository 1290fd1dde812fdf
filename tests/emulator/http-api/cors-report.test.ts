/** H9.1 / H9.6: the start report says when an HTTP API's CORS configuration lets no preflight of some kind through. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { httpSupportItems } from '../../../emulator/gateway/http/report.js';
import { loadTemplate } from '../../../emulator/template/load.js';

const dir = mkdtempSync(join(tmpdir(), 'http-cors-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CORS item's detail for an AWS::Serverless::HttpApi with this CorsConfiguration. */
async function corsDetail(name: string, cors: string): Promise<string | undefined> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, ['Transform: AWS::Serverless-2016-10-31', 'Resources:', '  Api:', '    Type: AWS::Serverless::HttpApi', '    Properties:', `      CorsConfiguration: ${cors}`].join('\n'));
  const api = (await loadTemplate(file)).httpApis[0]!;
  return httpSupportItems(api).find((item) => item.subject === 'CORS configuration')?.detail;
}

const NO_METHODS = 'WARNING: no AllowMethods';
const NO_HEADERS = 'WARNING: no AllowHeaders';

describe('H9.6 CORS configurations that refuse every preflight of a kind are named at start', () => {
  it.each([
    // ArtemAleksieiev/Http-Api-Gateway-Cors: CorsConfiguration: true, which SAM turns into allowOrigins ['*'] alone.
    { given: 'CorsConfiguration: true', cors: 'true', want: [NO_METHODS] },
    { given: 'an origin string', cors: 'https://app.example.com', want: [NO_METHODS] },
    { given: 'AllowOrigins and AllowMethods only', cors: '{ AllowOrigins: ["*"], AllowMethods: [GET, POST] }', want: [NO_HEADERS] },
    { given: 'methods and headers listed', cors: '{ AllowOrigins: ["*"], AllowMethods: [GET], AllowHeaders: [content-type] }', want: [] },
    { given: "'*' for both", cors: '{ AllowOrigins: ["*"], AllowMethods: ["*"], AllowHeaders: ["*"] }', want: [] },
  ])('$given', async ({ given, cors, want }) => {
    const detail = await corsDetail(given.replace(/\W+/g, '-'), cors);

    expect(detail).toMatch(/^preflights answered by the gateway, headers added \(H9\)/);
    expect([NO_METHODS, NO_HEADERS].filter((warning) => detail?.includes(warning))).toEqual(want);
  });
});
