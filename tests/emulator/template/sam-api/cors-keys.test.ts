/** emulator/template/sam-api/properties.ts: a REST Api's Cors refuses keys SAM does not know, as SAM does, saying which key an HttpApi habit meant. */
import { describe, expect, it } from 'vitest';
import { corsSettings } from '../../../../emulator/template/sam-api/properties.js';

describe('R10.5 SAM Api Cors keys', () => {
  it.each([
    {
      given: "AllowOrigins, the HttpApi key (alnao/AWSCloudFormationExamples Esempio11)",
      cors: { AllowOrigins: "'*'", AllowMethods: "'GET'" },
      want: `Invalid key 'AllowOrigins' for 'Cors' property. SAM refuses the template: AllowOrigins is a key of an HttpApi's CorsConfiguration; a REST Api's Cors has AllowOrigin, a quoted string such as "'https://example.com'"`,
    },
    { given: 'ExposeHeaders, which only an HttpApi has', cors: { AllowOrigin: "'*'", ExposeHeaders: "'x'" }, want: "Invalid key 'ExposeHeaders' for 'Cors' property. SAM refuses the template: ExposeHeaders is a key of an HttpApi's CorsConfiguration; a REST Api's Cors has no such key" },
    { given: 'a key of neither', cors: { Origin: "'*'" }, want: "Invalid key 'Origin' for 'Cors' property." },
  ])('$given is refused with SAM`s message', ({ cors, want }) => {
    expect(() => corsSettings(cors, 'template.yaml', 'Resources.Api.Properties.Cors')).toThrow(`template.yaml: Resources.Api.Properties.Cors: ${want}`);
  });

  it('the keys SAM knows are taken', () => {
    expect(corsSettings({ AllowOrigin: "'https://a.example'", AllowHeaders: "'x'", AllowMethods: "'GET'", MaxAge: "'60'", AllowCredentials: true }, 'template.yaml', 'k')).toEqual({ allowOrigin: "'https://a.example'", allowHeaders: "'x'", allowMethods: "'GET'", maxAge: "'60'", allowCredentials: true });
  });
});
