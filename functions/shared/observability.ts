/** Logger and Tracer, created once per execution environment, and the wrapper that instruments a handler. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

/** JSON logs; service name and level from POWERTOOLS_SERVICE_NAME / POWERTOOLS_LOG_LEVEL. */
export const logger = new Logger();

/** Disabled by Powertools itself outside Lambda, under sam local, or with POWERTOOLS_TRACE_ENABLED=false. */
export const tracer = new Tracer();

type Handler<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * Adds the Lambda context and the API Gateway request id (correlation id) to every log line
 * and captures the handler as the `## <handler>` subsegment (Tracer's captureLambdaHandler,
 * applied without middy or a class decorator).
 */
export function instrument<E, R>(handler: Handler<E, R>, correlationId: (event: E) => string | undefined): Handler<E, R> {
  const descriptor: TypedPropertyDescriptor<Handler<E, R>> = { value: handler };
  tracer.captureLambdaHandler()(undefined as never, 'handler', descriptor as never);
  const traced = descriptor.value ?? handler;
  return async (event, context) => {
    logger.addContext(context);
    logger.setCorrelationId(correlationId(event) ?? context.awsRequestId);
    return traced(event, context);
  };
}
