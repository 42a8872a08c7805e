// The Kubernetes export as the extension loads it: src/model/kube built with esbuild.js's own
// options into a temporary dist/kube.js and required. kubernetes-models is published as ES modules
// only, which the tests' CommonJS output cannot require; the bundle is what ships anyway.
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export type KubeModule = typeof import('../../src/model/kube/index');

const root = path.join(__dirname, '..', '..', '..');
let loaded: Promise<KubeModule> | undefined;

export function loadKubeBundle(): Promise<KubeModule> {
  loaded ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = require(path.join(root, 'esbuild.js')) as { kubeBuildOptions(o: { production: boolean; outfile: string }): esbuild.BuildOptions };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-kube-'));
    const outfile = path.join(dir, 'kube.js');
    await esbuild.build({ ...config.kubeBuildOptions({ production: false, outfile }), sourcemap: false, logLevel: 'silent' });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(outfile) as KubeModule;
    fs.rmSync(dir, { recursive: true, force: true });
    return mod;
  })();
  return loaded;
}
