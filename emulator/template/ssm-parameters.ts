/** AWS::SSM::Parameter → SsmParameterSpec, served by the embedded Parameter Store (services/ssm/). */
import type { SsmParameterSpec } from './model.js';
import type { Stack } from './stack.js';

/** The template's parameters with their values as CloudFormation creates them; one it would refuse is a warning. */
export function loadSsmParameters(stack: Stack, warnings: string[]): SsmParameterSpec[] {
  const out: SsmParameterSpec[] = [];
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type !== 'AWS::SSM::Parameter') continue;
    const key = `Resources.${id}.Properties`;
    const props = stack.resolve(res.Properties, key) as Record<string, unknown>;
    const type = String(props.Type ?? '');
    if (type !== 'String' && type !== 'StringList') {
      // CloudFormation creates no SecureString parameter (AWS::SSM::Parameter's Type is String or StringList).
      warnings.push(`${key}.Type: ${JSON.stringify(props.Type)} is not String or StringList (CloudFormation refuses it): the parameter is not created`);
      continue;
    }
    const value = Array.isArray(props.Value) ? props.Value.map(String).join(',') : props.Value;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      warnings.push(`${key}.Value: required, a string: the parameter is not created`);
      continue;
    }
    out.push({
      logicalId: id,
      name: String(stack.resolve({ Ref: id }, `Resources.${id}`)),
      type,
      value: String(value),
      ...(typeof props.Description === 'string' ? { description: props.Description } : {}),
      ...(typeof props.DataType === 'string' ? { dataType: props.DataType } : {}),
    });
  }
  return out;
}
