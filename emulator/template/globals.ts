/** SAM's Globals section merge rules (samtranslator/plugins/globals). */
import { TemplateError } from "./model.js";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** An intrinsic ({"Ref": ...}, {"Fn::...": ...}) is a value, not a map to merge. */
function isIntrinsic(v: unknown): boolean {
  if (!isRecord(v)) return false;
  const keys = Object.keys(v);
  return (
    keys.length === 1 &&
    (keys[0] === "Ref" ||
      keys[0] === "Condition" ||
      (keys[0] ?? "").startsWith("Fn::"))
  );
}

/**
 * SAM Globals merge: maps merge key by key (resource wins), lists concatenate (globals first),
 * anything else (scalars, intrinsics, mismatched types) takes the resource's value.
 */
export function mergeGlobals(
  globalValue: unknown,
  localValue: unknown,
): unknown {
  if (localValue === undefined) return globalValue;
  if (globalValue === undefined) return localValue;
  if (Array.isArray(globalValue) && Array.isArray(localValue))
    return [...globalValue, ...localValue];
  if (
    isRecord(globalValue) &&
    isRecord(localValue) &&
    !isIntrinsic(globalValue) &&
    !isIntrinsic(localValue)
  ) {
    const out: Record<string, unknown> = { ...globalValue };
    for (const [k, v] of Object.entries(localValue))
      out[k] = mergeGlobals(globalValue[k], v);
    return out;
  }
  return localValue;
}

/** Apply Globals.<section> to one resource's Properties. */
export function applyGlobals(
  globals: unknown,
  section: string,
  properties: Record<string, unknown>,
): Record<string, unknown> {
  const g = isRecord(globals) ? globals[section] : undefined;
  return isRecord(g)
    ? (mergeGlobals(g, properties) as Record<string, unknown>)
    : properties;
}

/**
 * The properties SAM's Globals take for a resource type (samtranslator 1.110 plugins/globals/globals.py
 * supported_properties), in its order.
 */
const SUPPORTED_GLOBALS: Record<string, string[]> = {
  Function: [
    "Handler",
    "Runtime",
    "CodeUri",
    "DeadLetterQueue",
    "Description",
    "MemorySize",
    "Timeout",
    "VpcConfig",
    "Environment",
    "Tags",
    "PropagateTags",
    "Tracing",
    "KmsKeyArn",
    "AutoPublishAlias",
    "AutoPublishAliasAllProperties",
    "Layers",
    "DeploymentPreference",
    "RolePath",
    "PermissionsBoundary",
    "ReservedConcurrentExecutions",
    "ProvisionedConcurrencyConfig",
    "AssumeRolePolicyDocument",
    "EventInvokeConfig",
    "FileSystemConfigs",
    "CodeSigningConfigArn",
    "Architectures",
    "SnapStart",
    "EphemeralStorage",
    "FunctionUrlConfig",
    "RuntimeManagementConfig",
    "LoggingConfig",
    "RecursiveLoop",
    "SourceKMSKeyArn",
    "TenancyConfig",
    "DurableConfig",
    "CapacityProviderConfig",
    "FunctionScalingConfig",
    "PublishToLatestPublished",
    "VersionDeletionPolicy",
  ],
  Api: [
    "Auth",
    "Name",
    "DefinitionUri",
    "CacheClusterEnabled",
    "CacheClusterSize",
    "MergeDefinitions",
    "Variables",
    "EndpointConfiguration",
    "MethodSettings",
    "BinaryMediaTypes",
    "MinimumCompressionSize",
    "Cors",
    "GatewayResponses",
    "AccessLogSetting",
    "CanarySetting",
    "TracingEnabled",
    "OpenApiVersion",
    "Domain",
    "AlwaysDeploy",
    "PropagateTags",
    "SecurityPolicy",
    "EndpointAccessMode",
  ],
  HttpApi: [
    "Auth",
    "AccessLogSettings",
    "StageVariables",
    "Tags",
    "CorsConfiguration",
    "DefaultRouteSettings",
    "Domain",
    "RouteSettings",
    "FailOnWarnings",
    "PropagateTags",
  ],
  SimpleTable: ["SSESpecification"],
  StateMachine: ["PropagateTags"],
  LayerVersion: ["PublishLambdaVersion"],
  CapacityProvider: [
    "VpcConfig",
    "OperatorRole",
    "Tags",
    "InstanceRequirements",
    "ScalingConfig",
    "KmsKeyArn",
    "PropagateTags",
  ],
  WebSocketApi: [
    "AccessLogSettings",
    "ApiKeySelectionExpression",
    "DefaultRouteSettings",
    "DisableExecuteApiEndpoint",
    "DisableSchemaValidation",
    "Domain",
    "FailOnWarnings",
    "IpAddressType",
    "PropagateTags",
    "RouteSelectionExpression",
    "RouteSettings",
    "StageVariables",
    "Tags",
  ],
};

/**
 * SAM's transform refuses a template whose Globals.<section> is no map or sets a property its Globals do not take
 * for that type (InvalidGlobalsSectionException, whether or not a resource of the type exists): said in SAM's words.
 */
export function checkGlobalsSection(
  file: string,
  globals: unknown,
  section: string,
): void {
  const supported = SUPPORTED_GLOBALS[section];
  const g = isRecord(globals) ? globals[section] : undefined;
  if (!supported || g === undefined) return;
  const invalid = "'Globals' section is invalid.";
  // SAM's message keeps "${section}" as it is written in its source (not an f-string).
  if (!isRecord(g))
    throw new TemplateError(
      file,
      `Globals.${section}`,
      `${invalid} Value of \${section} must be a dictionary`,
    );
  const unsupported = Object.keys(g).find((key) => !supported.includes(key));
  if (unsupported === undefined) return;
  const listed = `[${supported.map((p) => `'${p}'`).join(", ")}]`;
  throw new TemplateError(
    file,
    `Globals.${section}.${unsupported}`,
    `${invalid} '${unsupported}' is not a supported property of '${section}'. Must be one of the following values - ${listed}`,
  );
}

/**
 * SAM's transform refuses Globals naming a section it does not have (`Foo:`) or a property a section does not take
 * (`Api: {StageName: ...}`), section by section in template order: said in SAM's words before anything is served.
 */
export function checkGlobals(file: string, globals: unknown): void {
  if (!isRecord(globals)) return;
  const sections = Object.keys(SUPPORTED_GLOBALS).sort();
  for (const section of Object.keys(globals)) {
    if (!Object.hasOwn(SUPPORTED_GLOBALS, section)) {
      const listed = `[${sections.map((name) => `'${name}'`).join(", ")}]`;
      throw new TemplateError(
        file,
        `Globals.${section}`,
        `'Globals' section is invalid. '${section}' is not supported. Must be one of the following values - ${listed}`,
      );
    }
    checkGlobalsSection(file, globals, section);
  }
}
