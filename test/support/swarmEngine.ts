// A Swarm test engine: an empty second dockerd (own socket, data root, exec root, pidfile and
// bridge, see emptyEngine.ts) put in Swarm mode through the Engine API, with the busybox test
// image built on it. The developer's engine is never put in Swarm mode. Optionally a third dockerd
// joins as a worker over loopback, so tasks spread over two nodes and a drain moves them.
import Docker from 'dockerode';
import * as net from 'net';
import { startEmptyEngine, type EmptyEngine } from './emptyEngine';
import { ensureBaseImage } from './testEngine';

export interface SwarmEngine {
  /** The manager's socket. */
  socket: string;
  docker: Docker;
  /** The worker's socket when one joined. */
  workerSocket?: string;
  workerDocker?: Docker;
  /** Why no worker joined, when one was asked for and could not. */
  workerProblem?: string;
  /** Kills the manager's dockerd (as a crash would) and starts it again on the same data: the swarm comes back. */
  restartManager(): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A /24 of 198.18.200-239 for an engine's bridge, apart from the fixed ones other tests use. */
function randomCidr(): string {
  return `198.18.${200 + Math.floor(Math.random() * 40)}.1/24`;
}

export async function startSwarmEngine(opts: { worker?: boolean } = {}): Promise<SwarmEngine> {
  const engines: EmptyEngine[] = [];
  const stopAll = async () => {
    for (const e of engines.reverse()) await e.stop().catch(() => undefined);
  };
  try {
    const manager = await startEmptyEngine({ bridgeCidr: randomCidr() });
    engines.push(manager);
    const docker = new Docker({ socketPath: manager.socket });
    const port = await freePort();
    // Loopback only, and a data path port of its own so two test swarms on one host never share 4789.
    await docker.swarmInit({ ListenAddr: `127.0.0.1:${port}`, AdvertiseAddr: `127.0.0.1:${port}`, DataPathPort: await freePort(), DefaultAddrPool: ['10.231.0.0/16'], SubnetSize: 24 });
    await ensureBaseImage(docker);
    const restartManager = async () => {
      await manager.kill();
      await manager.start();
    };
    const result: SwarmEngine = { socket: manager.socket, docker, restartManager, stop: stopAll };
    if (opts.worker) {
      try {
        const worker = await startEmptyEngine({ bridgeCidr: randomCidr() });
        engines.push(worker);
        const workerDocker = new Docker({ socketPath: worker.socket });
        const swarm = (await docker.swarmInspect()) as { JoinTokens: { Worker: string } };
        const wport = await freePort();
        await workerDocker.swarmJoin({ ListenAddr: `127.0.0.1:${wport}`, AdvertiseAddr: `127.0.0.1:${wport}`, RemoteAddrs: [`127.0.0.1:${port}`], JoinToken: swarm.JoinTokens.Worker });
        await ensureBaseImage(workerDocker);
        result.workerSocket = worker.socket;
        result.workerDocker = workerDocker;
      } catch (err) {
        result.workerProblem = (err as Error).message;
      }
    }
    return result;
  } catch (err) {
    await stopAll();
    throw err;
  }
}
