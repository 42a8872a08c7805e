// What the export says about what it changed or could not carry, as codes with parameters: the
// document lists them at its top, in the user's language (src/ui/kubeText.ts renders them through
// vscode.l10n; the English here is the same text, for the tests and the golden files).

export const NOTE_ENGLISH = {
  renamed: 'Renamed {0} to {1}: Kubernetes names are lowercase letters, digits and "-".',
  bindMount: '{0}: the bind mount {1} -> {2} needs a decision (a ConfigMap, a PersistentVolumeClaim or a hostPath); it is left out.',
  anonymousVolume: '{0}: the anonymous volume at {1} became an emptyDir, which is lost when the pod goes.',
  sharedClaim: 'The claim {0} is ReadWriteOnce but used by {1} pods: pods on different nodes need a ReadWriteMany storage class.',
  secretEnvOne: '{0}: the value of {1} looks secret: the Secret {2} holds a placeholder; put the real value in before applying (or create it with kubectl create secret).',
  secretEnv: '{0}: the values of {1} look secret: the Secret {2} holds placeholders; put the real values in before applying (or create it with kubectl create secret).',
  envFromHost: '{0}: {1} came from the environment Compose ran in; give it a value in the ConfigMap {2}.',
  badEnvKey: '{0}: the variable {1} cannot be a ConfigMap key; it is set on the container directly.',
  builtImage: '{0}: the image {1} is built locally; push it to a registry the cluster can pull from, and put that name in its Deployment.',
  restartNever: '{0}: restart "{1}" was not carried: a Deployment always restarts its pods (a Job runs once).',
  dependsOn: '{0} depends on {1}: Kubernetes starts them together; {0} must retry until they answer (or wait in an init container).',
  networks: '{0}: the Compose networks ({1}) are not carried: every pod reaches every Service of its namespace (restrict with NetworkPolicies).',
  unsupported: '{0}: {1} is not carried over.',
  secretInCommand: '{0}: the value of {1} was written in its command or health check; it is replaced by a reference to the variable.',
  portsTrimmed: '{0}: only the first {1} of its {2} ports are carried.',
  global: '{0} runs in global mode (one task per node): exported as a Deployment with 1 replica; a DaemonSet is the closer match.',
  labelAnnotation: '{0}: the label {1} is not a valid Kubernetes label; it is an annotation.',
  labelDropped: '{0}: the label {1} is not a valid Kubernetes key; it is left out.',
  nodePort: 'Services are NodePort: clients in the cluster use the container port; from outside, each node port is picked by Kubernetes (30000-32767).',
  nodePortHost: '{0}: Docker published {1} on the host; its node port is picked by Kubernetes instead (kubectl get service shows it).',
  loopback: '{0}: published on {1} only in Docker; the Service makes it reachable in the cluster.',
  noHealthcheck: '{0}: the health check is disabled in Docker; no probes.',
} as const;

export type NoteCode = keyof typeof NOTE_ENGLISH;

export interface Note {
  code: NoteCode;
  params: string[];
}

export function note(code: NoteCode, ...params: (string | number)[]): Note {
  return { code, params: params.map(String) };
}

/** The English text of a note ({0}, {1} filled in as vscode.l10n.t does). */
export function englishNote(n: Note): string {
  return NOTE_ENGLISH[n.code].replace(/\{(\d+)\}/g, (m, i: string) => n.params[Number(i)] ?? m);
}

/** Why an export cannot be made at all. */
export class KubeExportError extends Error {
  constructor(
    readonly code: 'buildOnly' | 'nothing',
    readonly params: string[],
  ) {
    super(code === 'buildOnly' ? `${params[0]} ${params[1] === '1' ? 'has' : 'have'} no image, only a build: build ${params[1] === '1' ? 'the image' : 'the images'} and push ${params[1] === '1' ? 'it' : 'them'} to a registry first, then export again.` : 'Nothing to export.');
    this.name = 'KubeExportError';
  }
}
