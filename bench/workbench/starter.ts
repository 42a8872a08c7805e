// Forked by the extension-host half of the benchmark: it makes the engine requests that cause
// events (start, kill, run, bulk create), so their cost does not land in the host's CPU figures,
// as for a container started from a terminal.
import { createContainers, engineRequest, type ContainerSpec } from '../engineHttp';

const socket = process.env.BENCH_SOCKET!;

export interface StarterRequest {
  seq: number;
  op: 'start' | 'kill' | 'run' | 'createMany';
  id?: string;
  name?: string;
  composeProject?: string;
  specs?: ContainerSpec[];
}

const ops: Record<StarterRequest['op'], (r: StarterRequest) => Promise<unknown>> = {
  start: (r) => engineRequest(socket, 'POST', `/containers/${r.id}/start`),
  kill: (r) => engineRequest(socket, 'POST', `/containers/${r.id}/kill`),
  // What `docker run -d` does: create, then start.
  run: async (r) => {
    const [id] = await createContainers(socket, [{ name: r.name!, composeProject: r.composeProject }]);
    await engineRequest(socket, 'POST', `/containers/${id}/start`);
    return id;
  },
  createMany: (r) => createContainers(socket, r.specs!, 8),
};

process.on('message', (r: StarterRequest) => {
  ops[r.op](r).then(
    (result) => process.send!({ seq: r.seq, result: typeof result === 'object' && result && 'status' in result ? undefined : result }),
    (err: Error) => process.send!({ seq: r.seq, error: err.message }),
  );
});
process.on('disconnect', () => process.exit(0));
