// The Kubernetes export (kubernetes-models' API schemas and yaml: ~590 KB) is a bundle of its own,
// dist/kube.js, required on the first Export to Kubernetes…, as the Compose bundle is on first use
// of the Compose view. esbuild leaves './kube.js' external (esbuild.js); everything else imports
// src/model/kube as types only.
export type KubeModule = typeof import('../model/kube/index');

let loaded: KubeModule | undefined;

export function kubeModule(): KubeModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./kube.js') as KubeModule;
  return loaded;
}
