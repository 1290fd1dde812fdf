/**
 * AWS managed rule groups (W7): their signatures are not published, so only the rules AWS documents precisely are
 * evaluated; every other rule of a group is reported as not emulated (and `--strict` refuses it).
 */
import type { WafRequest } from './request.js';

export interface ManagedRule {
  name: string;
  /** The documented inspection, or undefined when it cannot be reproduced. */
  test?: (req: WafRequest) => boolean;
  /** Why the rule is not evaluated ('ignored' when evaluating it locally would be wrong, W7.3). */
  ignored?: string;
}

export interface ManagedGroup {
  /** Label namespace: awswaf:managed:aws:<namespace>:<rule>. */
  namespace: string;
  rules: ManagedRule[];
}

const header = (req: WafRequest, name: string) => req.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
const bytes = (text: string) => Buffer.byteLength(text, 'latin1');
const decoded = (text: string) => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return text.toLowerCase();
  }
};
/** W7.2: Log4j lookups such as `${jndi:ldap://example.com/}`; nested obfuscations are not recognised. */
const JNDI = /\$\{\s*jndi\s*:/i;
const unpublished = (...names: string[]): ManagedRule[] => names.map((name) => ({ name }));

/** W7.1, W7.2: the groups and rules AWS documents, in the order AWS lists them. */
export const MANAGED_GROUPS: Record<string, ManagedGroup> = {
  AWSManagedRulesCommonRuleSet: {
    namespace: 'core-rule-set',
    rules: [
      { name: 'NoUserAgent_HEADER', test: (r) => header(r, 'user-agent').length === 0 },
      ...unpublished('UserAgent_BadBots_HEADER'),
      { name: 'SizeRestrictions_QUERYSTRING', test: (r) => bytes(r.queryString) > 2048 },
      { name: 'SizeRestrictions_Cookie_HEADER', test: (r) => header(r, 'cookie').some((c) => bytes(c) > 10_240) },
      { name: 'SizeRestrictions_BODY', test: (r) => r.body.byteLength > 8192 },
      { name: 'SizeRestrictions_URIPATH', test: (r) => bytes(r.uriPath) > 1024 },
      ...unpublished(
        'EC2MetaDataSSRF_BODY', 'EC2MetaDataSSRF_COOKIE', 'EC2MetaDataSSRF_URIPATH', 'EC2MetaDataSSRF_QUERYARGUMENTS',
        'GenericLFI_QUERYARGUMENTS', 'GenericLFI_URIPATH', 'GenericLFI_BODY',
        'RestrictedExtensions_URIPATH', 'RestrictedExtensions_QUERYARGUMENTS',
        'GenericRFI_QUERYARGUMENTS', 'GenericRFI_BODY', 'GenericRFI_URIPATH',
        'CrossSiteScripting_COOKIE', 'CrossSiteScripting_QUERYARGUMENTS', 'CrossSiteScripting_BODY', 'CrossSiteScripting_URIPATH',
      ),
    ],
  },
  AWSManagedRulesKnownBadInputsRuleSet: {
    namespace: 'known-bad-inputs',
    rules: [
      ...unpublished('JavaDeserializationRCE_HEADER', 'JavaDeserializationRCE_BODY', 'JavaDeserializationRCE_URIPATH', 'JavaDeserializationRCE_QUERYSTRING'),
      { name: 'Host_localhost_HEADER', ignored: 'every request to the local gateway is addressed to localhost, so the rule would block them all (W7.3)' },
      { name: 'PROPFIND_METHOD', test: (r) => r.method === 'PROPFIND' },
      ...unpublished('ExploitablePaths_URIPATH'),
      { name: 'Log4JRCE_HEADER', test: (r) => r.headers.some(([n, v]) => JNDI.test(n) || JNDI.test(v)) },
      { name: 'Log4JRCE_QUERYSTRING', test: (r) => JNDI.test(decoded(r.queryString)) },
      { name: 'Log4JRCE_BODY', test: (r) => JNDI.test(Buffer.from(r.body).toString('latin1')) },
      { name: 'Log4JRCE_URIPATH', test: (r) => JNDI.test(decoded(r.uriPath)) },
    ],
  },
};
