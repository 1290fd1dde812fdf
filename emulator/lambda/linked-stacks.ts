/**
 * Nested stacks wired by their Outputs: an API of one stack may invoke a function of another (its ARN passed in as a
 * Parameter), and a third may hold the permission, as CloudFormation deploys them into one account. Each stack's
 * gateway sees the others' functions through its template's `functionForUri`, under an id qualified with their stack's
 * path (`Functions/RegisterFn`), and its invoker hands those invocations to the stack that owns them.
 */
import type { FunctionSpec, LoadedTemplate } from '../template/model.js';
import type { LambdaInvoker } from './types.js';

export interface StackRuntime {
  /** Path from the root: '' for the root, `Child/` for a nested stack. */
  path: string;
  template: LoadedTemplate;
  lambda: LambdaInvoker;
}

interface Owned {
  stack: StackRuntime;
  spec: FunctionSpec;
}

/** The id under which the other stacks' gateways know a function of the stack at `path`. */
export const qualifiedId = (path: string, logicalId: string): string => `${path || '(root)/'}${logicalId}`;

/** Each stack's template and invoker as its APIs use them: its own functions first, then those of the other stacks. */
export function linkStacks(stacks: StackRuntime[]): { template: LoadedTemplate; invoker: LambdaInvoker }[] {
  if (stacks.length < 2) return stacks.map((s) => ({ template: s.template, invoker: s.lambda }));
  // A logical id has no '/', so a qualified id never meets a stack's own.
  const owned = new Map<string, Owned>();
  const other = (own: StackRuntime, uri: string): FunctionSpec | undefined => {
    for (const stack of stacks) {
      if (stack === own) continue;
      const spec = stack.template.functionForUri(uri);
      if (!spec) continue;
      const id = qualifiedId(stack.path, spec.logicalId);
      owned.set(id, { stack, spec });
      return { ...spec, logicalId: id };
    }
    return undefined;
  };
  // R1.54: the grants of the function's own stack, or a permission in any stack that names it by name or ARN.
  const namedAnywhere = (spec: FunctionSpec, sourceArn: string): boolean => stacks.some((s) => s.template.apiGatewayMayInvokeOther?.([spec.functionName, spec.arn], sourceArn) === true);
  const mayInvoke = (stack: StackRuntime, spec: FunctionSpec | undefined, id: string, sourceArn: string): boolean =>
    stack.template.apiGatewayMayInvoke(id, sourceArn) || (spec !== undefined && namedAnywhere(spec, sourceArn));
  return stacks.map((own) => ({
    template: {
      ...own.template,
      functionForUri: (uri) => own.template.functionForUri(uri) ?? other(own, uri),
      apiGatewayMayInvoke: (id, sourceArn) => {
        const found = owned.get(id);
        return found ? mayInvoke(found.stack, found.spec, found.spec.logicalId, sourceArn) : mayInvoke(own, own.template.functions.get(id), id, sourceArn);
      },
    },
    invoker: {
      invoke: (id, event, options) => {
        const found = owned.get(id);
        return found ? found.stack.lambda.invoke(found.spec.logicalId, event, options) : own.lambda.invoke(id, event, options);
      },
    },
  }));
}
