/**
 * `npm run sandbox`: the whole product on one machine with no credentials. Starts the
 * sandbox (start.ts), prints the page's URL on stdout, and stops everything on Ctrl-C
 * (SIGINT) or SIGTERM, removing the throwaway directory.
 */
import { operatorText } from '../domain/errors.js';
import { OptionsError, parseSandboxArgs, USAGE } from './options.js';
import { startSandbox, type RunningSandbox } from './start.js';

const SHUTDOWN_BOUND_MS = 15_000;

async function main(): Promise<void> {
  // Whoever reads our output may go away (a closed pipe): the sandbox must still clean up.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  let opts;
  try {
    opts = parseSandboxArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof OptionsError)) throw err;
    process.stderr.write(`npm run sandbox: ${err.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (opts === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const began = performance.now();
  const starting = startSandbox({ ...opts, onProgress: (line) => process.stderr.write(`${line}…\n`) });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the sandbox…\n`);
    setTimeout(() => {
      process.stderr.write('the sandbox did not stop in time; exiting\n');
      process.exit(1);
    }, SHUTDOWN_BOUND_MS).unref();
    // Still starting: wait for it (a failed start cleans up after itself), then stop.
    starting
      .then((sandbox) => sandbox.stop())
      .then(
        () => {
          process.stderr.write('Stopped; nothing left behind.\n');
          process.exit(0);
        },
        (err: unknown) => {
          process.stderr.write(`${operatorText(err, 'stopping the sandbox failed')}\n`);
          process.exit(1);
        },
      );
  };
  // `on`, not `once`: a terminal's Ctrl-C reaches npm and this process, and npm forwards it
  // again; a second SIGINT without a handler would kill the process mid-cleanup. (package.json
  // runs this file with `node --import tsx`, not the tsx command, whose signal relay kills a
  // child that does not report the signal within 30 ms.) SIGHUP, the terminal closing, stops
  // cleanly too. The shutdown bound ends a stop that hangs.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));

  let sandbox: RunningSandbox;
  try {
    sandbox = await starting;
  } catch (err) {
    const why = err instanceof OptionsError ? err.message : operatorText(err, 'the sandbox could not start');
    process.stderr.write(`npm run sandbox: ${why}\n`);
    process.exit(1);
  }
  if (stopping) return;
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  process.stderr.write(
    `Ready in ${seconds} s. Steward's log: ${sandbox.workDir}/steward.log${opts.dataDir ? '' : ' (removed on exit)'}. Ctrl-C stops it.\n`,
  );
  process.stdout.write(`${sandbox.url}\n`);
}

void main();
