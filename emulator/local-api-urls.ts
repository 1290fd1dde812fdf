/** What a deployed URL of the template's APIs and function URLs becomes locally: the local port serving it. */
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
