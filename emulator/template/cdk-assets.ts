/**
 * Where a CDK app's assets are on this machine. `cdk synth` writes each stack's asset manifest
 * (`<Stack>.assets.json`) beside its template: every file asset's local source (`asset.<hash>` folders, nested stack
 * templates) and the S3 object key it is published under. A synthesized template names only the S3 location; the
 * CDK CLI adds `aws:asset:path` metadata too, but a template synthesized without it (`--no-asset-metadata`, an app
 * synthesized by its own code) has only the key, which the manifest turns back into the local source.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** S3 object key → local source path, for every asset manifest of one folder (read each time: a new synth rewrites them). */
function assetsOf(dir: string): Map<string, string> {
  const byKey = new Map<string, string>();
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.assets.json'));
  } catch {
    // No folder to read: no manifest.
  }
  for (const name of names) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch {
      continue;
    }
    const files = isRecord(manifest) && isRecord(manifest.files) ? manifest.files : {};
    for (const entry of Object.values(files)) {
      if (!isRecord(entry) || !isRecord(entry.source) || typeof entry.source.path !== 'string' || !isRecord(entry.destinations)) continue;
      for (const destination of Object.values(entry.destinations)) {
        if (isRecord(destination) && typeof destination.objectKey === 'string') byKey.set(destination.objectKey, resolvePath(dir, entry.source.path));
      }
    }
  }
  return byKey;
}

/**
 * The local source of the asset published under `objectKey` (an S3Key, or the last segment of a TemplateURL), per
 * the asset manifests beside `templateFile`; undefined when none names it or its source is gone.
 */
export function cdkAssetSource(templateFile: string, objectKey: unknown): string | undefined {
  if (typeof objectKey !== 'string' || objectKey === '') return undefined;
  const source = assetsOf(dirname(templateFile)).get(objectKey);
  return source !== undefined && existsSync(source) ? source : undefined;
}

/**
 * The local source of a CDK asset property of a resource (`TemplateURL`, `BodyS3Location`, ...): named by the
 * resource's `aws:asset:path` metadata when it is for that property, else found by its S3 object key in the manifest.
 */
export function cdkAssetFor(templateFile: string, metadata: unknown, property: string, objectKey: unknown): string | undefined {
  const asset = isRecord(metadata) && metadata['aws:asset:property'] === property ? metadata['aws:asset:path'] : undefined;
  if (typeof asset === 'string') {
    const path = resolvePath(dirname(templateFile), asset);
    if (existsSync(path)) return path;
  }
  return cdkAssetSource(templateFile, objectKey);
}
