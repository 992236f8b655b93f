// `npm start`: the local cloud on http://127.0.0.1:3000 (PORT, HOST, DATA_DIR override), timers on,
// the demo community seeded on first start. COMPACT_EVERY=<n> compacts a collection's data file
// after every n writes to it (the crash test uses it to kill the process mid-compaction).
// CLOUD_LATENCY_MS=<n> delays every SDK call by n ms, like a CloudBase round trip (default 0).
// GET /healthz answers 503 until the seed is done. A second process on the same DATA_DIR is refused.
// The log shows function calls and timers; LOG_DATA_API=1 adds each data-API call (seeding
// alone makes hundreds).
import path from 'path';
import fs from 'fs';
import { startLocalCloud, type LocalCloud } from './cloud';
import { startConsoleServer, type ConsoleServer } from './console-server';
import { buildConsole, CONSOLE_OUT } from '../scripts/build-console';
import { DEMO_IDENTITIES, seedIfEmpty } from './seed';

/** No build yet, or console sources (or the build script) newer than it: `npm start` never serves a stale console. */
function consoleBuildIsStale(): boolean {
  const built = `${CONSOLE_OUT}/index.html`;
  if (!fs.existsSync(built)) return true;
  const builtAt = fs.statSync(built).mtimeMs;
  const root = path.resolve(__dirname, '..');
  const sources = [
    ...fs.readdirSync(path.join(root, 'console/src')).map((f) => path.join(root, 'console/src', f)),
    path.join(root, 'console/index.html'),
    path.join(root, 'scripts/build-console.ts'),
  ];
  return sources.some((f) => fs.statSync(f).mtimeMs > builtAt);
}

async function run(): Promise<void> {
  const port = process.env.PORT ? Number(process.env.PORT) : 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
  const host = process.env.HOST || '127.0.0.1';
  const dataDir = path.resolve(process.env.DATA_DIR || '.data');
  const compactEvery = process.env.COMPACT_EVERY ? Number(process.env.COMPACT_EVERY) : undefined;
  if (compactEvery !== undefined && (!Number.isInteger(compactEvery) || compactEvery < 1))
    throw new Error(`COMPACT_EVERY must be a positive integer, got "${process.env.COMPACT_EVERY}"`);

  const latencyMs = process.env.CLOUD_LATENCY_MS ? Number(process.env.CLOUD_LATENCY_MS) : 0;
  if (!Number.isFinite(latencyMs) || latencyMs < 0)
    throw new Error(`CLOUD_LATENCY_MS must be a number of milliseconds >= 0, got "${process.env.CLOUD_LATENCY_MS}"`);

  const logDataApi = process.env.LOG_DATA_API === '1';
  const log = (line: string) => {
    if (logDataApi || !line.includes(' /tcb')) console.log(`[local-cloud] ${line}`);
  };
  let seedDone: (value: unknown) => void = () => undefined;
  let seedFailed: (err: unknown) => void = () => undefined;
  const ready = new Promise((resolve, reject) => {
    seedDone = resolve;
    seedFailed = reject;
  });
  ready.catch(() => undefined);
  // OBSERVE=1: GET /observe hands a benchmark in another process the invocation and data-call records
  // (local/observe.ts); TIMERS=0: no timer triggers, so a sweep does not land in the middle of a measurement.
  const observeEndpoint = process.env.OBSERVE === '1';
  const timers = process.env.TIMERS !== '0';
  const cloud: LocalCloud = await startLocalCloud({
    port,
    host,
    dataDir,
    compactEvery,
    timers,
    log,
    ready,
    latencyMs,
    observeEndpoint,
  });

  // The console (社区工作台) on its own origin, as CloudBase static hosting would serve it.
  const consolePort = process.env.CONSOLE_PORT ? Number(process.env.CONSOLE_PORT) : port === 0 ? 0 : port + 1;
  let consoleServer: ConsoleServer | undefined;
  try {
    if (consoleBuildIsStale()) {
      console.log('[local-cloud] building the console (npm run build:console)…');
      await buildConsole();
    }
    consoleServer = await startConsoleServer(cloud, { dir: CONSOLE_OUT, port: consolePort, host });
  } catch (err) {
    console.error(`[local-cloud] the console is not served: ${(err as Error).message}`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: closing the local cloud…`);
    Promise.all([cloud.close(), consoleServer?.close()]).then(
      () => process.exit(0),
      (err: Error) => {
        console.error('close failed:', err.message);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  let seeded: boolean;
  try {
    ({ seeded } = await seedIfEmpty(cloud));
  } catch (err) {
    seedFailed(err);
    throw err;
  }
  seedDone(undefined);
  const example = DEMO_IDENTITIES[0]?.openid ?? 'demo-worker';
  const lines = [
    '',
    `邻里帮 local cloud on ${cloud.url}`,
    `  data:      ${cloud.dataDir}${seeded ? ' (demo community seeded)' : ''}`,
    ...(latencyMs ? [`  latency:   ${latencyMs} ms on every SDK call (CLOUD_LATENCY_MS)`] : []),
    `  health:    GET  ${cloud.url}/healthz`,
    ...(consoleServer ? [`  console:   ${consoleServer.url}   社区工作台 (扫码登录; 本地可「模拟扫码」)`] : []),
    `  functions: POST ${cloud.url}/functions/<name>   body {"action": "...", "payload": {...}}, header x-openid`,
    `  SDK:       tcb.init({ env: 'local', serviceUrl: '${cloud.url}/tcb', secretId: 'local', secretKey: 'local' })`,
    '',
    'Demo identities (x-openid):',
    ...DEMO_IDENTITIES.map((d) => `  ${d.openid.padEnd(20)} ${d.label}`),
    '',
    'Try:',
    `  curl -s -X POST ${cloud.url}/functions/member -H 'content-type: application/json' -H 'x-openid: ${example}' -d '{"action":"me"}'`,
    '',
  ];
  console.log(lines.join('\n'));
}

run().catch((err: Error) => {
  console.error(`local cloud failed to start: ${err.message}`);
  process.exit(1);
});
