// What runs of a Compose project (or service) when Berth has no files for it: per service, one
// replica's inspect answer (a running one when there is one), its image's own settings, and how
// many replicas run (all of them when none does, so a stopped project keeps its scale).
import type { EngineClient } from '../../contract/client';
import type { ContainerRecord } from '../../contract/records';
import { imageDefaults, type ContainerInspect, type ImageDefaults } from './fromDocker';

export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

export interface RunningService {
  service: string;
  inspect: ContainerInspect;
  image?: ImageDefaults;
  replicas: number;
}

/** An image's own settings, or undefined when it is gone (its containers still say what they run). */
export async function inspectImageDefaults(client: Pick<EngineClient, 'inspect'>, image: string | undefined): Promise<ImageDefaults | undefined> {
  if (!image) return undefined;
  const raw = await client.inspect('image', image).catch(() => undefined);
  return raw ? imageDefaults(raw as Parameters<typeof imageDefaults>[0]) : undefined;
}

export async function runningComposeServices(client: Pick<EngineClient, 'inspect'>, containers: readonly ContainerRecord[]): Promise<RunningService[]> {
  const byService = new Map<string, ContainerRecord[]>();
  for (const c of containers) {
    const s = c.labels[COMPOSE_SERVICE_LABEL] ?? c.name;
    byService.set(s, [...(byService.get(s) ?? []), c]);
  }
  const out: RunningService[] = [];
  for (const [service, list] of [...byService].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const running = list.filter((c) => c.state === 'running');
    const sample = running[0] ?? list[0];
    const inspect = (await client.inspect('container', sample.id)) as ContainerInspect;
    out.push({ service, inspect, image: await inspectImageDefaults(client, sample.imageId || sample.image), replicas: running.length || list.length });
  }
  return out;
}
