/**
 * A function's `Layers`, as far as they exist on this machine: a layer of the same template whose content is a local
 * folder (AWS::Serverless::LayerVersion ContentUri, AWS::Lambda::LayerVersion as a CDK asset, by its metadata or its
 * asset manifest). Lambda extracts each
 * into /opt; locally a function sees the same folders in their place (emulator/lambda/layer-paths.ts). A layer given
 * by ARN, or whose content is on S3, exists only on AWS: a warning says so. A .zip/.jar content is extracted
 * (code-archive.ts), as `sam local` does.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { awsOnlyLayerNote } from './aws-layers.js';
import { cdkAssetSource } from './cdk-assets.js';
import { extractCodeArchive, isCodeArchive } from './code-archive.js';
import type { LayerSpec } from './model.js';
import type { Stack } from './stack.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const LAYER_TYPES = new Set(['AWS::Serverless::LayerVersion', 'AWS::Lambda::LayerVersion']);

/** The folder a layer resource's content is in, or why there is none here. */
function layerContent(stack: Stack, id: string): { dir: string } | { missing: string; absent?: string } {
  const res = stack.resources[id]!;
  const key = `Resources.${id}`;
  let path: unknown;
  if (res.Type === 'AWS::Serverless::LayerVersion') path = stack.resolve(res.Properties.ContentUri, `${key}.Properties.ContentUri`);
  else {
    const content = stack.resolve(res.Properties.Content, `${key}.Properties.Content`);
    const asset = isRecord(res.Metadata) && res.Metadata['aws:asset:property'] === 'Content' ? res.Metadata['aws:asset:path'] : undefined;
    path = asset ?? cdkAssetSource(stack.file, isRecord(content) ? content.S3Key : undefined);
  }
  if (typeof path !== 'string' || path.startsWith('s3://')) return { missing: `its content is not a local folder (${JSON.stringify(path ?? res.Properties.Content ?? null)})` };
  const dir = isAbsolute(path) ? path : resolvePath(dirname(stack.file), path);
  // A .zip/.jar ContentUri: `sam local` unzips a layer's archive as a function's (runtime.py `_unarchived_layer`).
  if (isCodeArchive(dir) && existsSync(dir) && statSync(dir).isFile()) {
    try {
      return { dir: extractCodeArchive(dir) };
    } catch (error) {
      return { missing: `its content ${path} cannot be extracted: ${(error as Error).message}` };
    }
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { missing: `its content folder ${path} does not exist`, absent: dir };
  return { dir };
}

/** The layer resource of this template a `Layers` entry names (`!Ref Layer`, its version ARN); undefined for any other ARN. */
function layerLogicalId(stack: Stack, entry: unknown): string | undefined {
  const ref = isRecord(entry) && typeof entry.Ref === 'string' ? entry.Ref : undefined;
  return ref !== undefined && stack.resources[ref] && LAYER_TYPES.has(stack.resources[ref].Type) ? ref : undefined;
}

/** Lambda's LayerVersionArn pattern (API reference, CreateFunction Layers). */
const LAYER_VERSION_ARN = /^arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+$/;

/**
 * The function's layers found locally, in the template's order; one warning per layer that exists only on AWS, whose
 * ARN is added to `awsOnly` when given, and per value that is no layer version ARN at all. A layer of the template
 * whose content folder does not exist is added to `absent`, when given, with that folder (absolute).
 */
export function functionLayers(stack: Stack, id: string, layers: unknown, warnings: string[], awsOnly: string[] = [], absent: LayerSpec[] = []): LayerSpec[] {
  if (!Array.isArray(layers)) return [];
  const out: LayerSpec[] = [];
  layers.forEach((entry, index) => {
    const key = `Resources.${id}.Properties.Layers[${index}]`;
    const logicalId = layerLogicalId(stack, entry);
    if (!logicalId) {
      const arn = String(stack.resolve(entry, key));
      // Lambda takes a layer version ARN only (LayerVersionArn); a placeholder left in a sample (<NodeBaseLayer>) fails the deploy.
      // Placeholders for what only AWS knows (an unresolved parameter, a dynamic reference) are not judged.
      if (!LAYER_VERSION_ARN.test(arn) && !arn.includes('emulator-') && !arn.includes('{{resolve:')) {
        warnings.push(`${key}: ${JSON.stringify(arn)} is no layer version ARN (Lambda takes arn:<partition>:lambda:<region>:<account>:layer:<name>:<version> only, so a deploy fails): the function runs here without it`);
        return;
      }
      awsOnly.push(arn);
      warnings.push(`${key}: ${awsOnlyLayerNote(arn)}`);
      return;
    }
    const content = layerContent(stack, logicalId);
    if ('missing' in content) {
      warnings.push(`${key}: layer ${logicalId}: ${content.missing}; the function runs without it`);
      if (content.absent !== undefined) absent.push({ logicalId, contentDir: content.absent });
      return;
    }
    const metadata = stack.resources[logicalId]!.Metadata;
    const buildMethod = isRecord(metadata) && typeof metadata.BuildMethod === 'string' ? metadata.BuildMethod : undefined;
    // A runtime's BuildMethod is what `sam build` installs from the layer's manifest (layer-paths.ts); a makefile's
    // build (a custom runtime's bootstrap, say) is not run here.
    const notRun = buildMethod !== undefined && !/^(python|nodejs)/.test(buildMethod);
    const warning = `Resources.${logicalId}.Metadata.BuildMethod: ${JSON.stringify(buildMethod)} builds of layers are not run locally: the layer is used from sam build's output (.aws-sam/build/${logicalId}) or its ContentUri as it is`;
    if (notRun && !warnings.includes(warning)) warnings.push(warning);
    out.push({ logicalId, contentDir: content.dir, ...(buildMethod ? { buildMethod } : {}) });
  });
  return out;
}
