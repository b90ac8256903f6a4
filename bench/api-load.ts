// One load run for bench/api.ts, in its own process so the load generator does not share the server's event
// loop: autocannon against 127.0.0.1, each request's path drawn at random from the list given, every
// response's latency kept (autocannon's own summary has no 95th percentile). Prints one JSON line.
import fs from 'node:fs';
import autocannon from 'autocannon';
import { percentile } from './lib';

interface LoadRun {
  url: string;
  paths: string[];
  cookie: string;
  connections: number;
  seconds: number;
}

const run = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as LoadRun;
const latencies: number[] = [];
const statuses = new Map<number, number>();
let finished: (result: autocannon.Result) => void = () => {};
const done = new Promise<autocannon.Result>((resolve) => {
  finished = resolve;
});
const options: autocannon.Options = {
  url: run.url,
  connections: run.connections,
  duration: run.seconds,
  headers: { cookie: run.cookie },
  requests: [
    {
      setupRequest: (request) => ({
        ...request,
        path: run.paths[Math.floor(Math.random() * run.paths.length)]!,
      }),
    },
  ],
};
const instance = autocannon(options, (error, result) => {
  if (error) throw error;
  finished(result);
});
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  latencies.push(responseTime);
  statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
});
const result = await done;
process.stdout.write(
  `${JSON.stringify({
    requests: latencies.length,
    perSecond: latencies.length / run.seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors + result.timeouts,
    statuses: Object.fromEntries(statuses),
  })}\n`,
);
