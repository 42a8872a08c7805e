// Every manifest is checked against the Kubernetes API's schemas (kubernetes-models 5.1.0, generated
// from the Kubernetes 1.34 OpenAPI) before it is shown: a failure is a bug in the export, never the
// user's. The schemas check structure and types, not names or port ranges, so those are checked here.
import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { isDnsLabel, isLabelValue, isQualifiedName } from './names';
import type { KubeObject } from './manifests';

export { KUBERNETES_VERSION } from './workload';

type Validatable = { validate(): void };
const MODELS: Record<string, new (data: never) => Validatable> = {
  'apps/v1/Deployment': Deployment as never,
  'v1/Service': Service as never,
  'v1/ConfigMap': ConfigMap as never,
  'v1/Secret': Secret as never,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim as never,
};

const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const isPort = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535;

function labelProblems(where: string, labels: unknown): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries((labels ?? {}) as Record<string, string>)) if (!isQualifiedName(k) || !isLabelValue(v)) out.push(`${where}: label ${k}=${v}`);
  return out;
}

/** What is wrong with one object, in English for the log and the tests; [] when it is valid. */
export function manifestProblems(obj: KubeObject): string[] {
  const id = `${String(obj.apiVersion)}/${String(obj.kind)}`;
  const meta = (obj.metadata ?? {}) as { name?: string; labels?: unknown };
  const where = `${String(obj.kind)} ${meta.name ?? '?'}`;
  const Model = MODELS[id];
  if (!Model) return [`${where}: ${id} is not a kind the export makes`];
  const problems: string[] = [];
  try {
    new Model(obj as never).validate();
  } catch (err) {
    const errors = (err as { errors?: { instancePath?: string; message?: string }[] }).errors;
    problems.push(...(errors?.length ? errors.map((e) => `${where}: ${e.instancePath || '/'} ${e.message ?? ''}`.trim()) : [`${where}: ${(err as Error).message}`]));
  }
  if (!meta.name || !isDnsLabel(meta.name)) problems.push(`${where}: the name is not a DNS-1035 label`);
  problems.push(...labelProblems(where, meta.labels));
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  if (obj.kind === 'Service')
    for (const p of (spec.ports ?? []) as { name?: string; port?: number; targetPort?: number }[]) {
      if (!isPort(p.port) || !isPort(p.targetPort)) problems.push(`${where}: port ${p.port} -> ${p.targetPort} out of range`);
      if (!p.name || p.name.length > 15 || !IANA_SVC_NAME.test(p.name)) problems.push(`${where}: port name ${p.name}`);
    }
  if (obj.kind === 'Deployment') {
    const template = (spec.template ?? {}) as { metadata?: { labels?: unknown }; spec?: { containers?: { name?: string; ports?: { name?: string; containerPort?: number }[]; volumeMounts?: { name?: string }[] }[]; volumes?: { name?: string }[] } };
    problems.push(...labelProblems(`${where} pod`, template.metadata?.labels));
    const volumes = new Set((template.spec?.volumes ?? []).map((v) => v.name));
    for (const c of template.spec?.containers ?? []) {
      if (!c.name || !isDnsLabel(c.name)) problems.push(`${where}: container name ${c.name}`);
      for (const p of c.ports ?? []) {
        if (!isPort(p.containerPort)) problems.push(`${where}: container port ${p.containerPort} out of range`);
        if (!p.name || p.name.length > 15 || !IANA_SVC_NAME.test(p.name)) problems.push(`${where}: port name ${p.name}`);
      }
      for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) problems.push(`${where}: mount of unknown volume ${m.name}`);
    }
    for (const v of volumes) if (!v || !isDnsLabel(v)) problems.push(`${where}: volume name ${v}`);
  }
  return problems;
}
