/**
 * A deployed stack's resources as CloudFormation's ListStackResources and DescribeStackResource(s) describe them: each
 * resource by its logical id, with the type CloudFormation created (a SAM resource as the type the transform turns it
 * into) and its physical id, which is what `Ref` gives locally (a function's name, a table's name, a state machine's
 * ARN). SAM apps' integration tests find their state machine, table or function this way (sam init's step-func tests).
 */
import type { Stack } from './stack.js';

export interface StackResource {
  logicalId: string;
  /** The type as deployed (AWS::Serverless::Function is listed as AWS::Lambda::Function). */
  type: string;
  /** What `Ref` resolves to locally; absent when it cannot be resolved here. */
  physicalId?: string;
}

/** The resource the SAM transform turns each SAM type into, under the same logical id. */
const DEPLOYED_TYPE: Record<string, string> = {
  'AWS::Serverless::Function': 'AWS::Lambda::Function',
  'AWS::Serverless::Api': 'AWS::ApiGateway::RestApi',
  'AWS::Serverless::HttpApi': 'AWS::ApiGatewayV2::Api',
  'AWS::Serverless::SimpleTable': 'AWS::DynamoDB::Table',
  'AWS::Serverless::StateMachine': 'AWS::StepFunctions::StateMachine',
  'AWS::Serverless::LayerVersion': 'AWS::Lambda::LayerVersion',
  'AWS::Serverless::Application': 'AWS::CloudFormation::Stack',
  'AWS::Serverless::GraphQLApi': 'AWS::AppSync::GraphQLApi',
};

/** The stack's resources in template order, with the execution roles SAM generates for functions and state machines. */
export function stackResources(stack: Stack): StackResource[] {
  const listed: StackResource[] = [];
  for (const [id, res] of Object.entries(stack.resources)) {
    // A connector becomes policies on its source's role: no resource of its own in the deployed stack.
    if (res.Type === 'AWS::Serverless::Connector') continue;
    const type = DEPLOYED_TYPE[res.Type] ?? res.Type;
    listed.push(withPhysicalId(stack, id, type));
    const generatesRole = (res.Type === 'AWS::Serverless::Function' || res.Type === 'AWS::Serverless::StateMachine') && res.Properties.Role === undefined;
    if (generatesRole && !stack.resources[`${id}Role`]) listed.push(withPhysicalId(stack, `${id}Role`, 'AWS::IAM::Role'));
  }
  return listed;
}

function withPhysicalId(stack: Stack, id: string, type: string): StackResource {
  // A nested stack's physical id is its StackId (template/load.ts names the child `<parent>-<LogicalId>`).
  if (type === 'AWS::CloudFormation::Stack') {
    const parent = String(stack.refParameter('AWS::StackName'));
    return { logicalId: id, type, physicalId: String(stack.refParameter('AWS::StackId')).replace(`:stack/${parent}/`, `:stack/${parent}-${id}/`) };
  }
  let physical: unknown;
  try {
    physical = stack.resolve({ Ref: id }, `Resources.${id}`);
  } catch {
    // A Ref only AWS can answer (a value the start report already names as unresolved): listed without a physical id.
    physical = undefined;
  }
  return typeof physical === 'string' && physical !== '' ? { logicalId: id, type, physicalId: physical } : { logicalId: id, type };
}
