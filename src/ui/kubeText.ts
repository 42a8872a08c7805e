// The Kubernetes export's words in the user's language: the document's header and the notes the
// model gives as codes (src/model/kube/notes.ts holds the same English, for the tests).
import * as vscode from 'vscode';
import type { DocumentTexts } from '../model/kube/document';
import type { Note } from '../model/kube/notes';

export function kubeNoteText(n: Note): string {
  const p = n.params;
  switch (n.code) {
    case 'renamed':
      return vscode.l10n.t('Renamed {0} to {1}: Kubernetes names are lowercase letters, digits and "-".', p[0], p[1]);
    case 'bindMount':
      return vscode.l10n.t('{0}: the bind mount {1} -> {2} needs a decision (a ConfigMap, a PersistentVolumeClaim or a hostPath); it is left out.', p[0], p[1], p[2]);
    case 'anonymousVolume':
      return vscode.l10n.t('{0}: the anonymous volume at {1} became an emptyDir, which is lost when the pod goes.', p[0], p[1]);
    case 'sharedClaim':
      return vscode.l10n.t('The claim {0} is ReadWriteOnce but used by {1} pods: pods on different nodes need a ReadWriteMany storage class.', p[0], p[1]);
    case 'secretEnvOne':
      return vscode.l10n.t('{0}: the value of {1} looks secret: the Secret {2} holds a placeholder; put the real value in before applying (or create it with kubectl create secret).', p[0], p[1], p[2]);
    case 'secretEnv':
      return vscode.l10n.t('{0}: the values of {1} look secret: the Secret {2} holds placeholders; put the real values in before applying (or create it with kubectl create secret).', p[0], p[1], p[2]);
    case 'envFromHost':
      return vscode.l10n.t('{0}: {1} came from the environment Compose ran in; give it a value in the ConfigMap {2}.', p[0], p[1], p[2]);
    case 'badEnvKey':
      return vscode.l10n.t('{0}: the variable {1} cannot be a ConfigMap key; it is set on the container directly.', p[0], p[1]);
    case 'builtImage':
      return vscode.l10n.t('{0}: the image {1} is built locally; push it to a registry the cluster can pull from, and put that name in its Deployment.', p[0], p[1]);
    case 'restartNever':
      return vscode.l10n.t('{0}: restart "{1}" was not carried: a Deployment always restarts its pods (a Job runs once).', p[0], p[1]);
    case 'dependsOn':
      return vscode.l10n.t('{0} depends on {1}: Kubernetes starts them together; {0} must retry until they answer (or wait in an init container).', p[0], p[1]);
    case 'networks':
      return vscode.l10n.t('{0}: the Compose networks ({1}) are not carried: every pod reaches every Service of its namespace (restrict with NetworkPolicies).', p[0], p[1]);
    case 'unsupported':
      return vscode.l10n.t('{0}: {1} is not carried over.', p[0], p[1]);
    case 'secretInCommand':
      return vscode.l10n.t('{0}: the value of {1} was written in its command or health check; it is replaced by a reference to the variable.', p[0], p[1]);
    case 'portsTrimmed':
      return vscode.l10n.t('{0}: only the first {1} of its {2} ports are carried.', p[0], p[1], p[2]);
    case 'global':
      return vscode.l10n.t('{0} runs in global mode (one task per node): exported as a Deployment with 1 replica; a DaemonSet is the closer match.', p[0]);
    case 'labelAnnotation':
      return vscode.l10n.t('{0}: the label {1} is not a valid Kubernetes label; it is an annotation.', p[0], p[1]);
    case 'labelDropped':
      return vscode.l10n.t('{0}: the label {1} is not a valid Kubernetes key; it is left out.', p[0], p[1]);
    case 'nodePort':
      return vscode.l10n.t('Services are NodePort: clients in the cluster use the container port; from outside, each node port is picked by Kubernetes (30000-32767).');
    case 'nodePortHost':
      return vscode.l10n.t('{0}: Docker published {1} on the host; its node port is picked by Kubernetes instead (kubectl get service shows it).', p[0], p[1]);
    case 'loopback':
      return vscode.l10n.t('{0}: published on {1} only in Docker; the Service makes it reachable in the cluster.', p[0], p[1]);
    case 'noHealthcheck':
      return vscode.l10n.t('{0}: the health check is disabled in Docker; no probes.', p[0]);
  }
}

export const kubeDocumentTexts: DocumentTexts = {
  header: (input, version) => [vscode.l10n.t('Kubernetes manifests for {0}, made by Berth (Kubernetes {1} API).', input.title, version), vscode.l10n.t('Review, then apply with: kubectl apply -f <this file>')],
  notesTitle: () => vscode.l10n.t('Not carried over, or changed on the way:'),
  nothingLost: () => vscode.l10n.t('Everything was carried over.'),
  note: kubeNoteText,
};

/** Why nothing could be exported, in the user's words. */
export function kubeExportErrorText(err: { code: string; params: readonly string[] }): string {
  if (err.code !== 'buildOnly') return vscode.l10n.t('There is nothing to export.');
  return err.params[1] === undefined || err.params[1] === '1'
    ? vscode.l10n.t('{0} has no image, only a build: build the image and push it to a registry first, then export again.', err.params[0] ?? '')
    : vscode.l10n.t('{0} have no image, only a build: build the images and push them to a registry first, then export again.', err.params[0] ?? '');
}
