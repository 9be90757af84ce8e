/** Entry of the `accessflow` binary: wires process signals and streams to `main`. */
import { main } from './cli.ts';

const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort(signal));
const code = await main(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  signal: stop.signal,
});
process.exitCode = code;
// Open sockets (a dropped stream's retry) must not keep a finished command alive.
setImmediate(() => process.exit(code));
