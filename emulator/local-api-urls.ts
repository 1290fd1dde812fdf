/** What a deployed URL of the template's APIs and function URLs becomes locally: the local port serving it. */
import type { ServedApi } from './app.js';
/**
 * A variable's value naming one of the template's APIs by its execute-api URL (`https://<apiId>.execute-api.<region>
 * .amazonaws.com/<stage>`, what templates `!Sub` for a @connections client or a self-call, or a private API's
 * `<apiId>-<vpce-id>.execute-api...`) gets the API's local URL.
 */
export function localApiUrls(localApis: ReadonlyMap<string, string>): (value: string) => string {
  return (value) => functionUrls(localApis, value.includes('.execute-api.')
      ? value.replace(/(?:\b(https|wss):\/\/)?\b([a-z0-9]+)(?:-vpce-[0-9a-f]+)?\.execute-api\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?(?::443)?/g, (whole, scheme: string | undefined, id: string) => {
          const local = localApis.get(id);
          if (local === undefined) return whole;
          // A bare host (`${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/dev`, given `https://` by the function): the
          // local host and port, which answer TLS too.
          if (scheme === undefined) return local.replace(/^http:\/\//, '');
          return scheme === 'wss' ? local.replace(/^http/, 'ws') : local;
        })
      : value);
}

/** A function URL of the template (`https://<url-id>.lambda-url.<region>.on.aws/`, GetAtt FunctionUrl) → its local port. */
function functionUrls(localApis: ReadonlyMap<string, string>, value: string): string {
  if (!value.includes('.lambda-url.')) return value;
  return value.replace(/(?:\bhttps:\/\/)?\b([a-z0-9]{32})\.lambda-url\.[a-z0-9-]+\.on\.aws(?::443)?/g, (whole, id: string) => {
    const local = localApis.get(id);
    if (local === undefined) return whole;
    // A bare host (the function adds the scheme): the local host and port.
    return whole.startsWith('https://') ? local : local.replace(/^http:\/\//, '');
  });
}

/**
 * A local URL on a REST API's port under a stage that port does not serve (a stage of another AWS::ApiGateway::Stage,
 * which templates' Outputs may name): why it answers 403 Missing Authentication Token here where API Gateway serves
 * it, and the served stage's URL for the same path. SAM's extra `Stage` stage is served (extraStageUrls).
 */
export function unservedStageNote(apis: readonly Pick<ServedApi, 'kind' | 'logicalId' | 'stageName' | 'url' | 'extraStageUrls'>[], local: string): string | undefined {
  for (const api of apis) {
    if (api.kind !== 'rest') continue;
    // The served stage itself, even when its name has a `/` (a parameter without a value: its placeholder has one).
    if (local === api.url || local.startsWith(`${api.url}/`) || local.startsWith(`${api.url}?`)) continue;
    const base = api.url.slice(0, api.url.length - api.stageName.length - 1);
    const match = local.startsWith(`${base}/`) ? /^([^/?#]+)(.*)$/s.exec(local.slice(base.length + 1)) : null;
    if (!match || match[1] === api.stageName || match[1] === 'docs' || api.extraStageUrls?.includes(`${base}/${match[1]}`)) continue;
    return `NOT SERVED locally: stage "${match[1]}" of ${api.logicalId} (only its stage "${api.stageName}" is served: ${api.url}${match[2]})`;
  }
  return undefined;
}
