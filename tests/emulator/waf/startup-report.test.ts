/**
 * What the start-up report says of a WAF web ACL and its rules, and what --strict refuses: never silent on what the
 * gateway does not emulate.
 */
import { describe, expect, it } from 'vitest';
import { startEmulator, StrictModeError } from '../../../emulator/app.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { LoadedTemplate } from '../../../emulator/template/model.js';
import { FIXTURE, local, template, useWafFixture, world } from './support/world.js';

useWafFixture();

describe('startup report (never silent)', () => {
  const items = () => world().gateways.WafApi!.support.filter((s) => s.location === 'web ACL Acl');
  const status = (subject: string) => items().find((s) => s.subject === subject)?.status;

  it.each([
    ['AWS::WAFv2::WebACL', 'emulated'],
    ['WAF rule rate-per-ip', 'emulated'],
    ['WAF rule aws-common AWSManagedRulesCommonRuleSet:NoUserAgent_HEADER', 'emulated'],
    ['WAF rule aws-common AWSManagedRulesCommonRuleSet:GenericLFI_URIPATH', 'not-emulated'],
    ['WAF rule aws-bad-inputs AWSManagedRulesKnownBadInputsRuleSet:Log4JRCE_BODY', 'emulated'],
    ['WAF rule aws-bad-inputs AWSManagedRulesKnownBadInputsRuleSet:Host_localhost_HEADER', 'ignored'],
    ['WAF rule xss', 'not-emulated'],
  ])('W7 %s is reported %s', (subject, want) => {
    expect(status(subject)).toBe(want);
  });

  it('W3.3 a custom Block response is reported emulated and sent as defined (see R8.10 below)', async () => {
    const wafResources = structuredClone(template.wafResources!);
    wafResources.find((r) => r.logicalId === 'Acl')!.properties.DefaultAction = { Block: { CustomResponse: { ResponseCode: 418 } } };
    const custom: LoadedTemplate = { ...template, wafResources };
    const w = world(custom);
    const item = w.gateways.WafApi!.support.find((s) => s.subject === 'WAF DefaultAction Block.CustomResponse');
    expect(item?.status).toBe('emulated');
    expect((await w.send('/v1/ok')).status).toBe(418);
  });

  it('W1.2 a stage without an association has no web ACL; EnableWaf=false (condition) removes it', async () => {
    const off = await loadTemplate(FIXTURE, { parameterOverrides: { EnableWaf: 'false' } });
    expect(world(off).gateways.WafApi!.support.some((s) => s.subject.startsWith('AWS::WAFv2') || s.subject.startsWith('WAF rule'))).toBe(false);
    expect((await world(off).send('/v1/x', { ip: '198.51.100.7' })).status).toBe(200);
    expect(off.warnings?.some((w) => w.includes('WAFv2'))).toBe(false);
  });

  it('W7 --strict refuses the managed rules and statements that are not emulated', async () => {
    const started = startEmulator({ templatePath: FIXTURE, port: 0, localDir: local.state.dir, strict: true });
    const error = await started.then(
      async (emulator) => {
        await emulator.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StrictModeError);
    const items = (error as StrictModeError).items;
    expect(items).toContainEqual(expect.stringMatching(/^WAF rule aws-common AWSManagedRulesCommonRuleSet:GenericLFI_URIPATH at web ACL Acl/));
    expect(items).toContainEqual(expect.stringMatching(/^WAF rule xss at web ACL Acl: XssMatchStatement \(W5.8\)/));
    expect(items.some((i) => i.includes('NoUserAgent_HEADER') || i.includes('Host_localhost_HEADER'))).toBe(false);
  });
});
