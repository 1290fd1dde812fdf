/**
 * A function that writes to file descriptor 3, the first one past the standard streams (tools and scripts write to it
 * by convention), cannot reach the gateway's IPC channel with it: the write fails in the function, which sees the error
 * as its own, and the invocation and the next one on the same environment are answered, where the channel used to be
 * fd 3 and a Node.js environment then hung until its Timeout and a Python one threw in the gateway.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceForSuite } from './support/project.js';

const root = mkdtempSync(join(tmpdir(), 'channel-fd-'));
const files = {
  'src/writer.js': `const { writeSync } = require('node:fs');
exports.handler = async () => {
  try {
    writeSync(3, 'a line for fd 3\\n');
    return { wrote: true };
  } catch (error) {
    return { wrote: false, code: error.code };
  }
};
`,
  'src/writer.py': `import os


def handler(event, context):
    try:
        os.write(3, b"a line for fd 3\\n")
        return {"wrote": True}
    except OSError as error:
        return {"wrote": False, "errno": error.errno}
`,
  'src/shell.py': `import os
import sys


def handler(event, context):
    # A tool the function runs through a shell, writing to the descriptor the gateway's channel has in the function.
    tool = os.path.join(os.path.dirname(__file__), "tool.py")
    return {"status": os.system(f"{sys.executable} {tool} 2>/dev/null")}
`,
  'src/tool.py': `import os

os.write(10, b"not a message\\n")
`,
  'template.yaml': `Resources:
  NodeWriter:
    Type: AWS::Serverless::Function
    Properties: {Handler: writer.handler, Runtime: nodejs20.x, CodeUri: src, Timeout: 3}
  PythonWriter:
    Type: AWS::Serverless::Function
    Properties: {Handler: writer.handler, Runtime: python3.12, CodeUri: src, Timeout: 3}
  PythonShell:
    Type: AWS::Serverless::Function
    Properties: {Handler: shell.handler, Runtime: python3.12, CodeUri: src, Timeout: 3}
`,
};
const service = serviceForSuite(root, files);

describe('a function that writes to file descriptor 3', () => {
  it.each(['NodeWriter', 'PythonWriter'])('%s is answered, its write refused in the function, and its warm environment serves the next invocation', async (id) => {
    const first = await service.invoke(id, {});
    const second = await service.invoke(id, {});

    expect(first).toMatchObject({ kind: 'ok', payload: { wrote: false }, cold: true });
    expect(second).toMatchObject({ kind: 'ok', payload: { wrote: false }, cold: false });
  });

  it('a tool a Python function runs through os.system does not inherit the channel: its write to the channel`s descriptor fails in the tool', async () => {
    const first = await service.invoke('PythonShell', {});
    const second = await service.invoke('PythonShell', {});

    expect(first).toMatchObject({ kind: 'ok', cold: true });
    expect((first as { payload: { status: number } }).payload.status).not.toBe(0);
    expect(second).toMatchObject({ kind: 'ok', cold: false });
  });
});
