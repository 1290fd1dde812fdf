// The far end of bench/hop.ts: a child process that answers each invocation message with a result message, as an
// execution environment (emulator/lambda/worker.ts) does, and nothing else. Plain CommonJS: no loader, as there.
const payload = process.argv[2] ?? 'null';
process.on('message', (msg) => process.send({ type: 'result', id: msg.id, payload }));
process.on('disconnect', () => process.exit(0));
