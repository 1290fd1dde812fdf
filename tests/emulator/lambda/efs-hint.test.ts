/**
 * A function with FileSystemConfigs expects its EFS file system under its LocalMountPath; nothing is mounted there
 * locally, and an error naming that path gets a line on the gateway's terminal saying so (lambda/efs-hint.ts).
 */
import { describe, expect, it } from 'vitest';
import { noticeEfsMount } from '../../../emulator/lambda/efs-hint.js';
import { loadSamResources } from '../support/template-text.js';

const FUNCTION = `  Files:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      InlineCode: "def handler(event, context): return open('/mnt/shared/notes').read()"
      FileSystemConfigs:
        - Arn: arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0
          LocalMountPath: /mnt/shared/
`;

function notices(message: string, mounts: string[] | undefined): string[] {
  const lines: string[] = [];
  noticeEfsMount(message, { logicalId: 'Files', ...(mounts ? { efsMounts: mounts } : {}) }, (line) => lines.push(line));
  return lines;
}

describe('the EFS mount hint', () => {
  it('reads each LocalMountPath of the template`s FileSystemConfigs (a trailing slash dropped)', async () => {
    const template = await loadSamResources(FUNCTION);

    expect(template.functions.get('Files')?.efsMounts).toEqual(['/mnt/shared']);
  });

  it.each([
    { runtime: 'Python', message: "[Errno 2] No such file or directory: '/mnt/shared/notes'" },
    { runtime: 'Node.js', message: "ENOENT: no such file or directory, open '/mnt/shared/notes'" },
    { runtime: 'a listing of the mount itself', message: "[Errno 2] No such file or directory: '/mnt/shared'" },
  ])('names the mount beside an error under it ($runtime)', ({ message }) => {
    expect(notices(message, ['/mnt/shared'])).toEqual([
      'Files: /mnt/shared is its FileSystemConfigs LocalMountPath, an EFS file system on AWS; nothing is mounted there locally (no EFS): a folder you create there (mkdir -p /mnt/shared, writable by you) stands in for it',
    ]);
  });

  it('says nothing of an error elsewhere, of a path that only begins like the mount, or for a function without EFS', () => {
    expect(notices("[Errno 2] No such file or directory: '/tmp/notes'", ['/mnt/shared'])).toEqual([]);
    expect(notices("[Errno 2] No such file or directory: '/mnt/shared-other/notes'", ['/mnt/shared'])).toEqual([]);
    expect(notices("[Errno 2] No such file or directory: '/mnt/shared/notes'", undefined)).toEqual([]);
  });
});
