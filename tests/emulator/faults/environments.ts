/** The execution-environment processes an emulator started, found from outside (Linux /proc), to prove none leaks. */
import { readdirSync, readFileSync } from 'node:fs';

function environOf(pid: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Pids of live processes whose environment holds this emulator's DynamoDB endpoint: its functions' environments. */
export function liveEnvironments(dynamoDbEndpoint: string): number[] {
  const marker = `AWS_ENDPOINT_URL_DYNAMODB=${dynamoDbEndpoint}\0`;
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      const environ = environOf(pid);
      if (!environ?.includes(marker)) return false;
      // A zombie (exited, not yet reaped) is not a live environment.
      const state = /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
      return state !== 'Z';
    })
    .map(Number);
}
