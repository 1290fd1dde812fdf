/** A REST API stage for the MethodSettings and stage cache tests: its MethodSettings, cache cluster and paths. */
import type { ApiSpec } from '../../../emulator/template/model.js';

export const stageSpec = (methodSettings: Record<string, unknown>[], cacheClusterEnabled = true, paths: Record<string, Record<string, unknown>> = {}): ApiSpec => ({
  logicalId: 'Api',
  restApiId: 'abc1234567',
  stageName: 'v1',
  stageVariables: null,
  methodSettings,
  cacheClusterEnabled,
  openapi: { openapi: '3.0.3', paths },
  openapiSource: 'openapi.yaml',
});
