/** The one wrapper of every aws_proxy handler: instrumentation, typed response rendering, error → problem mapping. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { operations } from '../../openapi/types.gen.js';
import { toProblem } from './errors.js';
import { problemResult, toProxyResult, type OperationResponse, type ProblemStatusOf } from './http.js';
import { instrument, logger } from './observability.js';

export interface ProxyOptions<Op extends keyof operations> {
  operation: Op;
  /** The problem statuses this operation declares; any other failure is answered as a 500. */
  problemStatuses: readonly ProblemStatusOf<Op>[];
  allowedOrigin: string;
}

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * Builds an aws_proxy handler whose body `fn` can only return the operation's declared responses.
 * Curried so that Op is fixed before `fn` is checked (its literal statuses then stay literal).
 */
export function proxyHandler<Op extends keyof operations>(
  options: ProxyOptions<Op>,
): (fn: (event: APIGatewayProxyEvent, context: Context) => Promise<OperationResponse<Op>>) => ProxyHandler {
  return (fn) => wrap(options, fn);
}

function wrap<Op extends keyof operations>(
  options: ProxyOptions<Op>,
  fn: (event: APIGatewayProxyEvent, context: Context) => Promise<OperationResponse<Op>>,
): ProxyHandler {
  const declared = new Set<number>(options.problemStatuses);
  const run: ProxyHandler = async (event, context) => {
    try {
      return toProxyResult(await fn(event, context), options.allowedOrigin);
    } catch (error) {
      const mapped = toProblem(error, event.requestContext?.requestId);
      if (mapped.unexpected || !declared.has(mapped.status)) {
        logger.error(`${options.operation} failed`, error as Error);
        const internal = toProblem(new Error('undeclared'), event.requestContext?.requestId);
        return problemResult(500, internal.problem, options.allowedOrigin);
      }
      logger.info(`${options.operation} answered ${mapped.status}`, { problemType: mapped.problem.type });
      return problemResult(mapped.status, mapped.problem, options.allowedOrigin, mapped.retryAfter);
    }
  };
  return instrument(run, (event) => event.requestContext?.requestId);
}
