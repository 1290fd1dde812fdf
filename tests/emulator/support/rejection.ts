/** The rejection of a call, for its name, message and fields; a call that succeeds fails the test. */
export async function rejection(call: Promise<unknown>): Promise<Record<string, unknown> & { name: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return error as Record<string, unknown> & { name: string; message: string };
  }
  throw new Error('expected the call to be refused, it succeeded');
}
