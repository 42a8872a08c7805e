// Entry of dist/kube.js, the Kubernetes export's own bundle (the API schemas of kubernetes-models
// and yaml weigh ~575 KB): required on the first Export to Kubernetes… (src/ui/kubeModule.ts), so
// dist/extension.js never carries them. Code outside it imports these modules as types only.
import type { ComposeProject } from '../compose/project';
import { renderDocument, type DocumentTexts } from './document';
import { workloadFromComposeService } from './fromCompose';
import { imageDefaults, workloadFromContainer, workloadFromService, STACK_LABEL, type ContainerInspect, type ImageDefaults, type ServiceInspect } from './fromDocker';
import { buildManifests, type Manifest } from './manifests';
export { checkExportable } from './manifests';
import type { Note } from './notes';
import type { RunningService } from './running';
import { manifestProblems } from './validate';
import type { ExportInput, ExportOptions } from './workload';

export { KUBERNETES_VERSION, manifestProblems } from './validate';
export { ENGLISH_TEXTS } from './document';
export { KubeExportError, englishNote, NOTE_ENGLISH } from './notes';
export { DEFAULT_VOLUME_SIZE } from './workload';
export { toDnsLabel, isDnsLabel } from './names';
export type { ContainerInspect, ImageDefaults, ServiceInspect } from './fromDocker';
export { imageDefaults };
export { runningComposeServices, inspectImageDefaults, type RunningService } from './running';

export interface KubeDocument {
  text: string;
  notes: Note[];
  manifests: Manifest[];
}

/** Builds, validates and writes the manifests. A manifest the schemas refuse is a bug: it throws, naming the object. */
export function exportToKube(input: ExportInput, options: ExportOptions, texts?: DocumentTexts): KubeDocument {
  const exported = buildManifests(input, options);
  const problems = exported.manifests.flatMap((m) => manifestProblems(m.object));
  if (problems.length) throw new Error(`Berth made a manifest Kubernetes would refuse (a bug, please report it): ${problems.join('; ')}`);
  return { text: renderDocument(input, exported, texts), notes: exported.notes, manifests: exported.manifests };
}

/** Whether a Quantity the user typed is one Kubernetes reads as a storage size ("1Gi", "500M"). */
export function isStorageSize(text: string): boolean {
  return /^(\d+(\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.test(text.trim()) && Number.parseFloat(text) > 0;
}

/** One container, under its own name. */
export function containerInput(title: string, inspect: ContainerInspect, image?: ImageDefaults): ExportInput {
  return { title, workloads: [workloadFromContainer(inspect, { image })] };
}

/** A Compose project (or one service of it) from its files; `running` counts each service's running replicas. */
export function composeFilesInput(title: string, project: ComposeProject, running: Readonly<Record<string, number>>, service?: string): ExportInput {
  const services = project.services.filter((s) => !service || s.name === service);
  return { title, partOf: project.name, workloads: services.map((s) => workloadFromComposeService(s, { running: running[s.name] })) };
}

/** A Compose project (or service) with no files Berth knows of, from what runs. */
export function composeRunningInput(title: string, project: string, services: readonly RunningService[]): ExportInput {
  const prefix = `${project}_`;
  return {
    title,
    partOf: project,
    workloads: services.map((s) =>
      workloadFromContainer(s.inspect, {
        name: s.service,
        replicas: s.replicas,
        image: s.image,
        volumeName: (n) => (n.startsWith(prefix) ? n.slice(prefix.length) : n),
      }),
    ),
  };
}

/**
 * A Swarm service, or a whole stack (its services' inspect answers), for the Services view's menu.
 * `networkName` turns the network ids tasks name into names, when known.
 */
export function swarmInput(title: string, services: readonly ServiceInspect[], networkName?: (id: string) => string | undefined): ExportInput {
  const stacks = new Set(services.map((s) => s.Spec?.Labels?.[STACK_LABEL]).filter((s): s is string => !!s));
  return { title, partOf: stacks.size === 1 ? [...stacks][0] : undefined, workloads: services.map((s) => workloadFromService(s, { networkName })) };
}
