/** Template text for tests: a SAM REST API whose inline DefinitionBody has the given `paths` (one YAML flow map). */

/** The Lambda proxy integration (flow YAML) invoking the function whose ARN the Parameter `param` holds. */
export function proxyToArnParameter(param: string): string {
  return `{x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${param}}/invocations'}}`;
}

/** `Resources` lines of an AWS::Serverless::Api `id`, stage prod, whose document's `paths` is `paths` (flow YAML). */
export function samApiResource(id: string, paths: string): string {
  return [`  ${id}:`, '    Type: AWS::Serverless::Api', '    Properties:', '      StageName: prod', '      DefinitionBody:', '        openapi: 3.0.1', `        info: {title: ${id}, version: "1"}`, `        paths: ${paths}`].join('\n');
}
