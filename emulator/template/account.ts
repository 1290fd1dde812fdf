/** The account every local stack is in, and the region when none is given (a module of its own: the services thread reads them too). */
export const ACCOUNT_ID = '123456789012';
export const DEFAULT_REGION = 'us-east-1';
