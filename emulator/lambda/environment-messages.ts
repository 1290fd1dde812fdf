/**
 * What the gateway and a Node.js execution environment (worker.ts) say to each other over the IPC channel: the
 * environment's init settings, each invocation, and the environment's answers. Custom runtimes' environments
 * (runtime-api.ts) translate the runtime API to these same messages.
 */
import type { LocalHosts } from './local-hosts.js';

export interface WorkerInit {
  file: string;
  /** The Handler after its module: a property path of the module ("handlers.get"), as the Node.js runtime reads it. */
  exportName: string;
  handler: string;
  sourcemap: boolean;
  /** Load the handler as CommonJS, with `.js` files under this directory compiled as CommonJS (Lambda's package boundary). */
  commonjsRoot?: string;
  /** A file URL from which `@aws-sdk/*` imports resolve when the function's folders lack them (runtime-provided SDK). */
  sdkParentUrl?: string;
  /** The function's layers: the local folder each stands for under /opt (lambda/layer-paths.ts), the one that wins first. */
  layerMounts?: { opt: string; dir: string }[];
  /** Execute-api hosts of the template's WebSocket APIs and their local ports (lambda/local-hosts.ts). */
  localHosts?: LocalHosts;
  /** nodejs24.x and later: a handler with a callback parameter is refused at init, and the context has no succeed/fail/done. */
  noCallbacks?: boolean;
  /** A function run in place: its task root and the folders Lambda gives it (layers, the runtime's); modules its init loads from elsewhere are named at ready (outside-modules.ts). */
  packageFolders?: { taskRoot: string; roots: string[] };
  context: {
    functionName: string;
    functionVersion: string;
    invokedFunctionArn: string;
    memoryLimitInMB: string;
    logGroupName: string;
    logStreamName: string;
  };
}

export interface InvokeMessage {
  id: number;
  /** The event as JSON: Lambda hands functions a JSON document. */
  eventJson: string;
  requestId: string;
  /** `_X_AMZN_TRACE_ID` of this invocation, set in the environment as the Node.js runtime sets it. */
  traceId: string;
  /** Epoch ms at which the function's Timeout expires. */
  deadline: number;
  /** InvokeWithResponseStream: the response goes back as `chunk` messages and an `end`, as it is written. */
  stream?: boolean;
  /** A tenant-isolated function's tenant: the context's tenantId (Lambda-Runtime-Aws-Tenant-Id for a custom runtime). */
  tenantId?: string;
  /** Invoke's client context as JSON: the context's clientContext, parsed (Lambda-Runtime-Client-Context for a custom runtime). */
  clientContext?: string;
  /** Invoke's LogType Tail: the invocation's last message carries what it wrote (`log`, its last 4 KB). */
  tail?: true;
  /** Invoked through an alias or a version (`<arn>:live`): the context's invoked ARN, and version 1 as the one that runs. */
  qualified?: { invokedFunctionArn: string; functionVersion: string };
}

export interface LambdaError {
  errorType: string;
  errorMessage: string;
  stackTrace: string[];
}

export type WorkerMessage =
  /** `outside`: modules its init loaded from outside the task root, layers and runtime ([Python top-level name, or Node.js package or file, and its file]). */
  | { type: 'ready'; outside?: [string, string][] }
  | { type: 'init-error'; error: LambdaError }
  | { type: 'result'; id: number; payload: string; raw?: boolean; peakRssKb?: number; log?: string }
  | { type: 'chunk'; id: number; data: Uint8Array }
  | { type: 'end'; id: number; peakRssKb?: number; log?: string }
  | { type: 'error'; id: number; error: LambdaError; peakRssKb?: number; log?: string }
  | { type: 'crash'; error: LambdaError };
