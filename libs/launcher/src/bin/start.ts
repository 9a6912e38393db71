// `npm start`: the whole stack on this machine (see EmbeddedStack), until Ctrl-C.
import { embeddedBanner } from '../embedded-banner.js';
import { EmbeddedStack, type UnexpectedExit } from '../embedded-stack.js';
import { LogPrinter } from '../log-printer.js';
import { AppStartError } from '../start-app.js';

/** How many of a crashed app's last output lines are shown again after everything stopped. */
const LAST_LINES = 20;

// The entry point is the one place that reads process.env; the libraries take options.
const printer = new LogPrinter({ json: process.env.LOG_FORMAT === 'json' });
const stack = new EmbeddedStack({
  env: process.env,
  onLine: (app, line, stream) => printer.app(app, line, stream),
});
let exiting = false;

/** Ends with `code` once the output is flushed (stdout may be an asynchronous pipe); forced after 2 s. */
function exit(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2000).unref();
}

async function stopAndExit(code: number): Promise<void> {
  await stack.stop();
  printer.launcher('info', 'stopped');
  exit(code);
}

function onSignal(signal: NodeJS.Signals): void {
  if (exiting) {
    printer.launcher('warn', `${signal} again: killing the apps now`);
    void stack.kill().finally(() => process.exit(1)); // what is still starting is SIGKILLed on exit (killOnExit)
    return;
  }
  exiting = true;
  printer.launcher('info', `${signal}: stopping the apps, then Redis (${signal} again to kill them)`);
  void stopAndExit(0);
}

function describe({ name, exit }: UnexpectedExit): string {
  return `${name} ${exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`}`;
}

async function onUnexpectedExit(crash: UnexpectedExit): Promise<void> {
  if (exiting) return;
  exiting = true;
  printer.launcher('error', `${describe(crash)}; stopping everything`);
  await stack.stop();
  // Shown again after the other apps' shutdown lines, so the cause is the last thing on screen.
  const last = crash.output.trimEnd().split('\n').slice(-LAST_LINES);
  printer.replay(crash.name, `${describe(crash)}; its last output lines:`, last);
  exit(1);
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  void stack.unexpectedExit.then(onUnexpectedExit);
  printer.launcher('info', 'starting notify…');
  try {
    const info = await stack.start();
    if (exiting) return;
    // The same facts as the banner, minus the secrets, for whoever reads the JSON lines.
    const { gatewayUrl, demoUrl, apiUrl, workerUrl, bullBoard, redis, store } = info;
    printer.launcher('info', 'ready', { gatewayUrl, demoUrl, apiUrl, workerUrl, bullBoardUrl: bullBoard.url, redis, store });
    printer.text(embeddedBanner(info, (style, text) => printer.style(style, text)));
  } catch (error) {
    if (exiting) return; // stopped by a signal while starting
    exiting = true;
    // An app's own lines were printed as they came, so its reason is enough here.
    const reason = error instanceof AppStartError ? `${error.app} ${error.reason}` : String((error as Error).message ?? error);
    printer.launcher('error', `could not start: ${reason}`);
    exit(1); // start() has already stopped whatever had started
  }
}

void main();
