// What Down removes beyond containers and networks, decided from what the engine has, so that the
// confirmation names every volume and image and Berth removes exactly those: the project's
// labelled volumes and its containers' anonymous ones; the images of its services. Anything
// another container still uses is kept and said (`--rmi all` would remove a shared base image).
import type { ContainerRecord, ImageRecord, VolumeRecord } from '../../contract/records';
import { COMPOSE_PROJECT_LABEL } from '../grouping';

export interface DownInput {
  project: string;
  /** The project's services as its files define them. */
  services: readonly { name: string; image?: string; build?: unknown }[];
  volumes: boolean;
  images: boolean;
  engine: { containers: readonly ContainerRecord[]; volumes: readonly VolumeRecord[]; images: readonly ImageRecord[] };
}

export interface DownRemoval {
  /** The name to remove it by: a volume's name, an image's reference. */
  name: string;
  /** For an anonymous volume: the project container that mounts it. */
  of?: string;
}

export interface DownKept {
  name: string;
  /** The other containers that use it. */
  users: string[];
}

export interface DownPlan {
  volumes: DownRemoval[];
  images: DownRemoval[];
  keptVolumes: DownKept[];
  keptImages: DownKept[];
}

const ANONYMOUS = /^[0-9a-f]{64}$/;

/** "busybox" → "busybox:latest"; Docker Hub's long forms as the engine lists them. */
export function normalizeImageRef(ref: string): string {
  let r = ref.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
  if (!r.includes('@') && !/:[^/]+$/.test(r)) r += ':latest';
  return r;
}

/** The names Compose gives a built image with no `image:`: v1's project_service, v2's project-service. */
function builtImageNames(project: string, service: string): string[] {
  const v1 = project.toLowerCase().replace(/[^-_a-z0-9]/g, '');
  return [`${v1}_${service}:latest`, `${project}-${service}:latest`];
}

export function planDown(input: DownInput): DownPlan {
  const { containers } = input.engine;
  const own = (c: ContainerRecord) => c.labels[COMPOSE_PROJECT_LABEL] === input.project;
  const others = containers.filter((c) => !own(c));
  const plan: DownPlan = { volumes: [], images: [], keptVolumes: [], keptImages: [] };
  if (input.volumes) {
    const names = new Map<string, string | undefined>();
    for (const v of input.engine.volumes) if (v.labels[COMPOSE_PROJECT_LABEL] === input.project) names.set(v.id, undefined);
    // Anonymous volumes (an image's VOLUME, `- /data`) go with their containers under --volumes.
    for (const c of containers.filter(own)) for (const v of c.volumes) if (ANONYMOUS.test(v) && !names.has(v)) names.set(v, c.name);
    for (const [name, of] of [...names].sort((a, b) => a[0].localeCompare(b[0]))) {
      const users = others.filter((c) => c.volumes.includes(name)).map((c) => c.name);
      if (users.length) plan.keptVolumes.push({ name, users });
      else plan.volumes.push(of ? { name, of } : { name });
    }
  }
  if (input.images) {
    const seen = new Set<string>();
    for (const svc of input.services) {
      const candidates = svc.image ? [normalizeImageRef(svc.image)] : svc.build !== undefined ? builtImageNames(input.project, svc.name) : [];
      for (const ref of candidates) {
        const image = input.engine.images.find((i) => i.repoTags.includes(ref) || i.id === svc.image);
        if (!image || seen.has(image.id)) continue;
        seen.add(image.id);
        const users = others.filter((c) => c.imageId === image.id).map((c) => c.name);
        if (users.length) plan.keptImages.push({ name: ref, users });
        else plan.images.push({ name: ref });
      }
    }
  }
  return plan;
}
