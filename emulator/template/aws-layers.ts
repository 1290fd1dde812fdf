/**
 * Layers AWS publishes, recognised by their ARN's name, so that a layer that exists only on AWS is named for what it
 * is: a library the function imports (Powertools), an extension that serves a local endpoint inside the execution
 * environment (the AppConfig agent on localhost:2772, the Parameters and Secrets extension on localhost:2773), or the
 * Lambda Web Adapter, which runs the handler as a web server and forwards each event to it over HTTP.
 */

export interface AwsLayer {
  /** What the layer is, in a few words. */
  what: string;
  /** For a library: the Python module it provides and the pip distribution that provides it locally. */
  python?: { module: string; distribution: string };
  /** For an extension: the endpoint it serves inside the execution environment, which nothing serves locally. */
  endpoint?: string;
  /** The Lambda Web Adapter: the function is a web server the adapter starts and calls. */
  webAdapter?: true;
}

const KNOWN: { name: RegExp; layer: AwsLayer }[] = [
  { name: /^AWSLambdaPowertoolsPython/i, layer: { what: 'Powertools for AWS Lambda (Python)', python: { module: 'aws_lambda_powertools', distribution: 'aws-lambda-powertools' } } },
  { name: /^AWSLambdaPowertoolsTypeScript/i, layer: { what: 'Powertools for AWS Lambda (TypeScript), the @aws-lambda-powertools/* packages' } },
  { name: /^AWS-AppConfig-Extension/i, layer: { what: 'the AWS AppConfig Agent Lambda extension', endpoint: 'http://localhost:2772' } },
  { name: /^AWS-Parameters-and-Secrets-Lambda-Extension/i, layer: { what: 'the AWS Parameters and Secrets Lambda Extension', endpoint: 'http://localhost:2773' } },
  { name: /^LambdaAdapterLayer/i, layer: { what: 'the Lambda Web Adapter', webAdapter: true } },
];

/** The AWS-published layer a layer version ARN names (arn:aws:lambda:<region>:<account>:layer:<name>:<version>), if known. */
export function awsLayer(arn: string): AwsLayer | undefined {
  const name = /:layer:([^:]+)/.exec(arn)?.[1];
  return name === undefined ? undefined : KNOWN.find((k) => k.name.test(name))?.layer;
}

/** The report's line for a layer that exists only on AWS: what the function misses locally, by what the layer is. */
export function awsOnlyLayerNote(arn: string): string {
  const known = awsLayer(arn);
  const head = `layer ${arn} exists only on AWS`;
  if (!known) return `${head}: what the function imports from it must be installed in its own folder to run locally`;
  if (known.endpoint) return `${head}: it is ${known.what}, whose endpoint ${known.endpoint} inside the execution environment is not served locally: the function's calls to it are refused (ECONNREFUSED)`;
  if (known.webAdapter) return `${head}: it is ${known.what}, which is not run locally`;
  const pkg = known.python ? ` (the ${known.python.distribution} package)` : '';
  return `${head}: it is ${known.what}; what the function imports from it${pkg} must be installed in its own folder to run locally`;
}
