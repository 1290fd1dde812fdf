/** The Properties each SAM resource type defines (samtranslator 1.110's sam_resources), and SAM's refusal of others. */
import { TemplateError } from './model.js';

const words = (text: string): ReadonlySet<string> => new Set(text.trim().split(/\s+/));

const SAM_PROPERTIES: Readonly<Record<string, ReadonlySet<string>>> = {
  'AWS::Serverless::Function': words(`
    Architectures AssumeRolePolicyDocument AutoPublishAlias AutoPublishAliasAllProperties AutoPublishCodeSha256
    CapacityProviderConfig CodeSigningConfigArn CodeUri DeadLetterQueue DeploymentPreference Description DurableConfig
    Environment EphemeralStorage EventInvokeConfig Events FileSystemConfigs FunctionName FunctionScalingConfig
    FunctionUrlConfig Handler ImageConfig ImageUri InlineCode KmsKeyArn Layers LoggingConfig MemorySize PackageType
    PermissionsBoundary Policies PropagateTags ProvisionedConcurrencyConfig PublishToLatestPublished RecursiveLoop
    ReservedConcurrentExecutions Role RolePath Runtime RuntimeManagementConfig SnapStart SourceKMSKeyArn Tags
    TenancyConfig Timeout Tracing VersionDeletionPolicy VersionDescription VpcConfig`),
  'AWS::Serverless::Api': words(`
    AccessLogSetting AlwaysDeploy ApiKeySourceType Auth BinaryMediaTypes CacheClusterEnabled CacheClusterSize
    CanarySetting Cors DefinitionBody DefinitionUri Description DisableExecuteApiEndpoint Domain EndpointAccessMode
    EndpointConfiguration FailOnWarnings GatewayResponses MergeDefinitions MethodSettings MinimumCompressionSize Mode
    Models Name OpenApiVersion Policy PropagateTags SecurityPolicy StageName Tags TracingEnabled Variables`),
  'AWS::Serverless::HttpApi': words(`
    AccessLogSettings Auth CorsConfiguration DefaultRouteSettings DefinitionBody DefinitionUri Description
    DisableExecuteApiEndpoint Domain FailOnWarnings Name PropagateTags RouteSettings StageName StageVariables Tags`),
  'AWS::Serverless::SimpleTable': words('PointInTimeRecoverySpecification PrimaryKey ProvisionedThroughput SSESpecification TableName Tags'),
  'AWS::Serverless::LayerVersion': words('CompatibleArchitectures CompatibleRuntimes ContentUri Description LayerName LicenseInfo PublishLambdaVersion RetentionPolicy'),
  'AWS::Serverless::StateMachine': words(`
    AutoPublishAlias Definition DefinitionSubstitutions DefinitionUri DeploymentPreference Events Logging Name
    PermissionsBoundary Policies PropagateTags Role RolePath Tags Tracing Type UseAliasAsEventTarget`),
  'AWS::Serverless::Application': words('Location NotificationARNs Parameters Tags TemplateUrl TimeoutInMinutes'),
  'AWS::Serverless::Connector': words('Destination Permissions Source'),
  'AWS::Serverless::GraphQLApi': words(`
    ApiKeys Auth Cache DataSources DomainName Functions IntrospectionConfig Logging Name OwnerContact QueryDepthLimit
    ResolverCountLimit Resolvers SchemaInline SchemaUri Tags Visibility XrayEnabled`),
};

/**
 * SAM's transform fails the deploy on a property its resource type does not define, in this sentence; a type it
 * does not list here (a newer SAM resource) is not checked.
 */
export function checkSamProperties(file: string, id: string, type: string, properties: Record<string, unknown>): void {
  const defined = SAM_PROPERTIES[type];
  if (!defined) return;
  const unknown = Object.keys(properties).find((key) => !defined.has(key));
  if (unknown !== undefined) throw new TemplateError(file, `Resources.${id}.Properties.${unknown}`, `property ${unknown} not defined for resource of type ${type}`);
}
