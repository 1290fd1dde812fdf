/**
 * A function with FileSystemConfigs reads and writes its EFS file system under its LocalMountPath (/mnt/...) on AWS.
 * Nothing is mounted there locally (no EFS), so its calls there fail with the machine's own "no such file" error; the
 * start report says the mount is not applied, and this names it again beside the failure it causes (sam init's efs
 * template writes /mnt/lambda/file on each request).
 */
import type { FunctionSpec } from '../template/model.js';

/** Says on the gateway's terminal, for a function error naming one of the function's EFS mount paths, that nothing is mounted there. */
export function noticeEfsMount(errorMessage: string, spec: Pick<FunctionSpec, 'logicalId' | 'efsMounts'>, notice: (line: string) => void): void {
  const mount = (spec.efsMounts ?? []).find((path) => errorMessage.includes(`${path}/`) || errorMessage.includes(`'${path}'`) || errorMessage.endsWith(path));
  if (mount === undefined) return;
  notice(`${spec.logicalId}: ${mount} is its FileSystemConfigs LocalMountPath, an EFS file system on AWS; nothing is mounted there locally (no EFS): a folder you create there (mkdir -p ${mount}, writable by you) stands in for it`);
}
