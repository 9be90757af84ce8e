/** Stopping on SIGINT / SIGTERM: cancel what is pending, then end with the signal's exit code. */
import { CliError, EXIT } from './errors.ts';

/**
 * Awaits `work`; when the process is told to stop first, runs `onInterrupt` (cancel what is pending) and
 * throws the signal's exit code.
 */
export async function interruptible<T>(work: Promise<T>, io: { signal: AbortSignal }, onInterrupt: () => Promise<string>): Promise<T> {
  const interrupted = new Promise<never>((_resolve, reject) => {
    const stop = () => {
      void onInterrupt().then((what) => {
        const signal = String(io.signal.reason);
        reject(new CliError(`stopped by ${signal}: ${what}`, signal === 'SIGTERM' ? EXIT.TERMINATED : EXIT.INTERRUPTED));
      });
    };
    if (io.signal.aborted) stop();
    else io.signal.addEventListener('abort', stop, { once: true });
  });
  // Once interrupted, the abandoned work's outcome (often its own "interrupted" error) is not news.
  const unlessInterrupted = work.catch((error: unknown) => (io.signal.aborted ? new Promise<never>(() => {}) : Promise.reject(error)));
  return Promise.race([unlessInterrupted, interrupted]);
}
