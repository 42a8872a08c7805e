// The production bundle stays lean (issue 13): ssh2, grpc, protobufjs and their helpers are
// replaced by a stand-in (esbuild.js, src/engine/unbundled.ts). The bundle is built here with
// esbuild.js's own options, so the test does not depend on what is in dist/ when it runs.
import { strict as assert } from 'assert';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { unbundled, UnbundledModuleError } from '../../src/engine/unbundled';

const root = path.join(__dirname, '..', '..', '..');

interface BuildConfig {
  buildOptions(o: { production: boolean; outfile?: string }): esbuild.BuildOptions;
  composeBuildOptions(o: { production: boolean; outfile?: string }): esbuild.BuildOptions;
  kubeBuildOptions(o: { production: boolean; outfile?: string }): esbuild.BuildOptions;
  KUBE_ONLY: string[];
  COMPOSE_ONLY: string[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require(path.join(root, 'esbuild.js')) as BuildConfig;

/** What the issue lists as never run by Berth; none may be in the bundle. */
const LEFT_OUT = ['ssh2', '@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs', 'tweetnacl', 'bcrypt-pbkdf', 'long', 'asn1', 'cpu-features'];
const MAX_BYTES = 450 * 1000;
/** dist/compose.js: yaml, js-yaml, ajv and the Compose schema, loaded on first use (esbuild.js). */
const MAX_COMPOSE_BYTES = 400 * 1000;
/** dist/kube.js: the Kubernetes export with kubernetes-models' schemas and yaml (esbuild.js). */
const MAX_KUBE_BYTES = 650 * 1000;

/** Every package name on an input's node_modules path ("node_modules/a/node_modules/@b/c/x.js" -> a, @b/c). */
function packagesOf(input: string): string[] {
  return [...input.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((m) => m[1]);
}

describe('production bundle', function () {
  this.timeout(60_000);
  let tmp: string;
  let bundle: esbuild.BuildResult & { metafile: esbuild.Metafile; outputFiles: esbuild.OutputFile[] };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bundle-'));
    const opts = config.buildOptions({ production: true, outfile: path.join(tmp, 'extension.js') });
    bundle = (await esbuild.build({ ...opts, write: false, logLevel: 'silent' })) as typeof bundle;
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it(`weighs at most ${MAX_BYTES / 1000} KB`, () => {
    const js = bundle.outputFiles.find((f) => f.path.endsWith('extension.js'));
    assert.ok(js, 'no extension.js in the build output');
    assert.ok(js.contents.length <= MAX_BYTES, `the bundle is ${js.contents.length} bytes, over ${MAX_BYTES}`);
  });

  it('contains none of ssh2, grpc, protobufjs or their helpers', () => {
    const inputs = Object.keys(bundle.metafile.inputs);
    assert.ok(inputs.some((i) => packagesOf(i).includes('dockerode')), 'dockerode is not in the bundle: the metafile is not what this test thinks');
    const found = inputs.filter((i) => packagesOf(i).some((p) => LEFT_OUT.includes(p) || p.startsWith('@protobufjs/')));
    assert.deepEqual(found, []);
  });

  it('replaces each of them with the stand-in', () => {
    const standIns = Object.keys(bundle.metafile.inputs).filter((i) => i.startsWith('berth-unbundled:'));
    assert.deepEqual(standIns.sort(), ['berth-unbundled:@grpc/grpc-js', 'berth-unbundled:@grpc/proto-loader', 'berth-unbundled:protobufjs', 'berth-unbundled:ssh2']);
  });
});

describe('the Compose bundle', function () {
  this.timeout(60_000);
  let tmp: string;
  let ext: esbuild.BuildResult & { metafile: esbuild.Metafile };
  let compose: esbuild.BuildResult & { metafile: esbuild.Metafile };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bundle-'));
    ext = (await esbuild.build({ ...config.buildOptions({ production: true, outfile: path.join(tmp, 'extension.js') }), logLevel: 'silent' })) as typeof ext;
    compose = (await esbuild.build({ ...config.composeBuildOptions({ production: true, outfile: path.join(tmp, 'compose.js') }), logLevel: 'silent' })) as typeof compose;
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('keeps yaml, ajv and the Compose model out of extension.js, which requires compose.js beside it', () => {
    const inputs = Object.keys(ext.metafile.inputs);
    assert.deepEqual(
      inputs.filter((i) => packagesOf(i).some((p) => config.COMPOSE_ONLY.includes(p)) || i.includes('src/model/compose/')),
      [],
    );
    const imports = Object.values(ext.metafile.outputs).flatMap((o) => o.imports);
    assert.ok(imports.some((i) => i.path === "./compose.js" && i.external), "extension.js does not require ./compose.js");
  });

  it(`holds them in compose.js, which weighs at most ${MAX_COMPOSE_BYTES / 1000} KB`, () => {
    const inputs = Object.keys(compose.metafile.inputs);
    for (const pkg of ['yaml', 'js-yaml', 'ajv']) assert.ok(inputs.some((i) => packagesOf(i).includes(pkg)), `${pkg} is not in compose.js`);
    const bytes = fs.statSync(path.join(tmp, 'compose.js')).size;
    assert.ok(bytes <= MAX_COMPOSE_BYTES, `compose.js is ${bytes} bytes, over ${MAX_COMPOSE_BYTES}`);
  });

  it('loads on its own and reads a project, its schema errors at their line', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(tmp, 'compose.js')) as typeof import('../../src/model/compose/index');
    const folder = fs.mkdtempSync(path.join(tmp, 'app-'));
    fs.writeFileSync(path.join(folder, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    portz: ["80:80"]\n');
    const project = await mod.loadComposeProject({ folder, environment: {} });
    assert.deepEqual(project.services.map((s) => s.name), ['web']);
    const problem = project.problems.find((p) => p.code === 'unknownKey');
    assert.equal(problem?.start?.line, 4);
  });
});

describe('the Kubernetes bundle', function () {
  this.timeout(60_000);
  let tmp: string;
  let ext: esbuild.BuildResult & { metafile: esbuild.Metafile };
  let kube: esbuild.BuildResult & { metafile: esbuild.Metafile };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bundle-'));
    ext = (await esbuild.build({ ...config.buildOptions({ production: true, outfile: path.join(tmp, 'extension.js') }), logLevel: 'silent' })) as typeof ext;
    kube = (await esbuild.build({ ...config.kubeBuildOptions({ production: true, outfile: path.join(tmp, 'kube.js') }), logLevel: 'silent' })) as typeof kube;
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('keeps kubernetes-models and the export out of extension.js, which requires kube.js beside it', () => {
    const inputs = Object.keys(ext.metafile.inputs);
    assert.deepEqual(
      inputs.filter((i) => packagesOf(i).some((p) => config.KUBE_ONLY.includes(p)) || i.includes('src/model/kube/')),
      [],
    );
    const imports = Object.values(ext.metafile.outputs).flatMap((o) => o.imports);
    assert.ok(imports.some((i) => i.path === './kube.js' && i.external), 'extension.js does not require ./kube.js');
  });

  it(`holds them in kube.js, which weighs at most ${MAX_KUBE_BYTES / 1000} KB`, () => {
    const inputs = Object.keys(kube.metafile.inputs);
    for (const pkg of ['kubernetes-models', 'yaml']) assert.ok(inputs.some((i) => packagesOf(i).includes(pkg)), `${pkg} is not in kube.js`);
    const bytes = fs.statSync(path.join(tmp, 'kube.js')).size;
    assert.ok(bytes <= MAX_KUBE_BYTES, `kube.js is ${bytes} bytes, over ${MAX_KUBE_BYTES}`);
  });

  it('loads on its own and exports a container, checked against the schemas', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(tmp, 'kube.js')) as typeof import('../../src/model/kube/index');
    const doc = mod.exportToKube(mod.containerInput('container web', { Name: '/web', Config: { Image: 'nginx:1.27', ExposedPorts: { '80/tcp': {} } }, HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] } } }), { serviceType: 'ClusterIP', volumeSize: '1Gi' });
    assert.deepEqual(doc.manifests.map((m) => m.object.kind), ['Service', 'Deployment']);
    assert.deepEqual(doc.manifests.flatMap((m) => mod.manifestProblems(m.object)), []);
  });
});

describe('the Swarm bundle', function () {
  this.timeout(60_000);
  let tmp: string;
  let ext: esbuild.BuildResult & { metafile: esbuild.Metafile };
  let swarm: esbuild.BuildResult & { metafile: esbuild.Metafile };
  const swarmConfig = config as unknown as { swarmBuildOptions(o: { production: boolean; outfile?: string }): esbuild.BuildOptions; MAX_SWARM_BYTES: number };
  const swarmCode = (i: string) => /src\/(session\/swarmWatcher|tree\/services\/servicesProvider|commands\/swarm\/|terminals\/serviceLogTerminal)/.test(i);

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bundle-'));
    ext = (await esbuild.build({ ...config.buildOptions({ production: true, outfile: path.join(tmp, 'extension.js') }), logLevel: 'silent' })) as typeof ext;
    swarm = (await esbuild.build({ ...swarmConfig.swarmBuildOptions({ production: true, outfile: path.join(tmp, 'swarm.js') }), logLevel: 'silent' })) as typeof swarm;
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('keeps the Services view\'s watcher, tree and actions out of extension.js, which requires swarm.js beside it', () => {
    assert.deepEqual(Object.keys(ext.metafile.inputs).filter(swarmCode), []);
    const imports = Object.values(ext.metafile.outputs).flatMap((o) => o.imports);
    assert.ok(imports.some((i) => i.path === './swarm.js' && i.external), 'extension.js does not require ./swarm.js');
  });

  it('holds them in swarm.js, without dockerode (the engine comes from extension.js), under its limit', () => {
    const inputs = Object.keys(swarm.metafile.inputs);
    assert.ok(inputs.some(swarmCode), 'the Swarm code is not in swarm.js');
    assert.deepEqual(inputs.filter((i) => packagesOf(i).includes('dockerode')), []);
    const bytes = fs.statSync(path.join(tmp, 'swarm.js')).size;
    assert.ok(bytes <= swarmConfig.MAX_SWARM_BYTES, `swarm.js is ${bytes} bytes, over ${swarmConfig.MAX_SWARM_BYTES}`);
  });
});

describe('the Registries bundle', function () {
  this.timeout(60_000);
  let tmp: string;
  let ext: esbuild.BuildResult & { metafile: esbuild.Metafile };
  let registries: esbuild.BuildResult & { metafile: esbuild.Metafile };
  const registriesConfig = config as unknown as { registriesBuildOptions(o: { production: boolean; outfile?: string }): esbuild.BuildOptions; MAX_REGISTRIES_BYTES: number };
  const registriesCode = (i: string) => /src\/(model\/registry\/|tree\/registries\/registriesProvider|commands\/registries\/)/.test(i);

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bundle-'));
    ext = (await esbuild.build({ ...config.buildOptions({ production: true, outfile: path.join(tmp, 'extension.js') }), logLevel: 'silent' })) as typeof ext;
    registries = (await esbuild.build({ ...registriesConfig.registriesBuildOptions({ production: true, outfile: path.join(tmp, 'registries.js') }), logLevel: 'silent' })) as typeof registries;
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('keeps the registry client, tree and actions out of extension.js, which requires registries.js beside it', () => {
    assert.deepEqual(Object.keys(ext.metafile.inputs).filter(registriesCode), []);
    const imports = Object.values(ext.metafile.outputs).flatMap((o) => o.imports);
    assert.ok(imports.some((i) => i.path === './registries.js' && i.external), 'extension.js does not require ./registries.js');
  });

  it('holds them in registries.js, without dockerode, under its limit', () => {
    const inputs = Object.keys(registries.metafile.inputs);
    assert.ok(inputs.some(registriesCode), 'the registry code is not in registries.js');
    assert.deepEqual(inputs.filter((i) => packagesOf(i).includes('dockerode')), []);
    const bytes = fs.statSync(path.join(tmp, 'registries.js')).size;
    assert.ok(bytes <= registriesConfig.MAX_REGISTRIES_BYTES, `registries.js is ${bytes} bytes, over ${registriesConfig.MAX_REGISTRIES_BYTES}`);
  });
});

describe('the transfer bundle (Pull, Tag, Push, Save, Load)', function () {
  this.timeout(60_000);
  let tmp: string;
  let ext: esbuild.BuildResult & { metafile: esbuild.Metafile };
  let transfer: esbuild.BuildResult & { metafile: esbuild.Metafile };
  const transferConfig = config as unknown as { transferBuildOptions(o: { production: boolean; outfile?: string }): esbuild.BuildOptions; MAX_TRANSFER_BYTES: number };
  const transferCode = (i: string) => /src\/(commands\/transferFeature|model\/transferProgress|model\/registryCredentials|model\/imageArchive|terminals\/transferTerminal)/.test(i);

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bundle-'));
    ext = (await esbuild.build({ ...config.buildOptions({ production: true, outfile: path.join(tmp, 'extension.js') }), logLevel: 'silent' })) as typeof ext;
    transfer = (await esbuild.build({ ...transferConfig.transferBuildOptions({ production: true, outfile: path.join(tmp, 'transfer.js') }), logLevel: 'silent' })) as typeof transfer;
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('keeps the transfer code out of extension.js, which requires transfer.js beside it', () => {
    assert.deepEqual(Object.keys(ext.metafile.inputs).filter(transferCode), []);
    const imports = Object.values(ext.metafile.outputs).flatMap((o) => o.imports);
    assert.ok(imports.some((i) => i.path === './transfer.js' && i.external), 'extension.js does not require ./transfer.js');
  });

  it('holds it in transfer.js, without dockerode (the engine comes from extension.js), under its limit', () => {
    const inputs = Object.keys(transfer.metafile.inputs);
    assert.ok(inputs.some(transferCode), 'the transfer code is not in transfer.js');
    assert.deepEqual(inputs.filter((i) => packagesOf(i).includes('dockerode')), []);
    const bytes = fs.statSync(path.join(tmp, 'transfer.js')).size;
    assert.ok(bytes <= transferConfig.MAX_TRANSFER_BYTES, `transfer.js is ${bytes} bytes, over ${transferConfig.MAX_TRANSFER_BYTES}`);
  });
});


describe('the Compose checks bundle', function () {
  this.timeout(60_000);
  let tmp: string;
  let ext: esbuild.BuildResult & { metafile: esbuild.Metafile };
  let checks: esbuild.BuildResult & { metafile: esbuild.Metafile };
  const checksConfig = config as unknown as { composeChecksBuildOptions(o: { production: boolean; outfile?: string }): esbuild.BuildOptions; MAX_COMPOSE_CHECKS_BYTES: number };
  const checksCode = (i: string) => i.includes('src/commands/composeChecks');

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bundle-'));
    ext = (await esbuild.build({ ...config.buildOptions({ production: true, outfile: path.join(tmp, 'extension.js') }), logLevel: 'silent' })) as typeof ext;
    checks = (await esbuild.build({ ...checksConfig.composeChecksBuildOptions({ production: true, outfile: path.join(tmp, 'composeChecks.js') }), logLevel: 'silent' })) as typeof checks;
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('keeps the Compose checks out of extension.js, which requires composeChecks.js beside it', () => {
    assert.deepEqual(Object.keys(ext.metafile.inputs).filter(checksCode), []);
    const imports = Object.values(ext.metafile.outputs).flatMap((o) => o.imports);
    assert.ok(imports.some((i) => i.path === './composeChecks.js' && i.external), 'extension.js does not require ./composeChecks.js');
  });

  it('holds them in composeChecks.js, without the Compose model or dockerode, under its limit', () => {
    const inputs = Object.keys(checks.metafile.inputs);
    assert.ok(inputs.some(checksCode), 'the checks are not in composeChecks.js');
    assert.deepEqual(inputs.filter((i) => i.includes('src/model/compose/') || packagesOf(i).includes('dockerode')), []);
    const bytes = fs.statSync(path.join(tmp, 'composeChecks.js')).size;
    assert.ok(bytes <= checksConfig.MAX_COMPOSE_CHECKS_BYTES, `composeChecks.js is ${bytes} bytes, over ${checksConfig.MAX_COMPOSE_CHECKS_BYTES}`);
  });
});

describe('the Dockerfile bundle', function () {
  this.timeout(60_000);
  let tmp: string;
  let ext: esbuild.BuildResult & { metafile: esbuild.Metafile };
  let reader: esbuild.BuildResult & { metafile: esbuild.Metafile };
  const dfConfig = config as unknown as { dockerfileBuildOptions(o: { production: boolean; outfile?: string }): esbuild.BuildOptions; MAX_DOCKERFILE_BYTES: number };
  const readerCode = (i: string) => i.includes('src/model/dockerfile.ts') || packagesOf(i).includes('dockerfile-ast');

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bundle-'));
    ext = (await esbuild.build({ ...config.buildOptions({ production: true, outfile: path.join(tmp, 'extension.js') }), logLevel: 'silent' })) as typeof ext;
    reader = (await esbuild.build({ ...dfConfig.dockerfileBuildOptions({ production: true, outfile: path.join(tmp, 'dockerfile.js') }), logLevel: 'silent' })) as typeof reader;
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('keeps dockerfile-ast out of extension.js, which requires dockerfile.js beside it', () => {
    assert.deepEqual(Object.keys(ext.metafile.inputs).filter(readerCode), []);
    const imports = Object.values(ext.metafile.outputs).flatMap((o) => o.imports);
    assert.ok(imports.some((i) => i.path === './dockerfile.js' && i.external), 'extension.js does not require ./dockerfile.js');
  });

  it('holds the reader in dockerfile.js, which reads a Dockerfile, under its limit', () => {
    assert.ok(Object.keys(reader.metafile.inputs).some(readerCode), 'the reader is not in dockerfile.js');
    const bytes = fs.statSync(path.join(tmp, 'dockerfile.js')).size;
    assert.ok(bytes <= dfConfig.MAX_DOCKERFILE_BYTES, `dockerfile.js is ${bytes} bytes, over ${dfConfig.MAX_DOCKERFILE_BYTES}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(path.join(tmp, 'dockerfile.js')) as typeof import('../../src/model/dockerfile');
    assert.deepEqual(loaded.readDockerfile('FROM x AS build\nARG A=1\n').stages, ['build']);
  });
});

describe('the image layers bundle', function () {
  this.timeout(60_000);
  let tmp: string;
  let ext: esbuild.BuildResult & { metafile: esbuild.Metafile };
  let layers: esbuild.BuildResult & { metafile: esbuild.Metafile };
  const layersConfig = config as unknown as { layersBuildOptions(o: { production: boolean; outfile?: string }): esbuild.BuildOptions; MAX_LAYERS_BYTES: number };
  const layersCode = (i: string) => /src\/(model\/layers\/|commands\/layersFeature)/.test(i);

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bundle-'));
    ext = (await esbuild.build({ ...config.buildOptions({ production: true, outfile: path.join(tmp, 'extension.js') }), logLevel: 'silent' })) as typeof ext;
    layers = (await esbuild.build({ ...layersConfig.layersBuildOptions({ production: true, outfile: path.join(tmp, 'layers.js') }), logLevel: 'silent' })) as typeof layers;
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('keeps the analysis and the views out of extension.js, which requires layers.js beside it', () => {
    assert.deepEqual(Object.keys(ext.metafile.inputs).filter(layersCode), []);
    const imports = Object.values(ext.metafile.outputs).flatMap((o) => o.imports);
    assert.ok(imports.some((i) => i.path === './layers.js' && i.external), 'extension.js does not require ./layers.js');
  });

  it('holds the saved-image reader with tar-stream in layers.js, under its limit', () => {
    const inputs = Object.keys(layers.metafile.inputs);
    assert.ok(inputs.some((i) => i.includes('src/model/layers/imageTar.ts')) && inputs.some((i) => packagesOf(i).includes('tar-stream')));
    const bytes = fs.statSync(path.join(tmp, 'layers.js')).size;
    assert.ok(bytes <= layersConfig.MAX_LAYERS_BYTES, `layers.js is ${bytes} bytes, over ${layersConfig.MAX_LAYERS_BYTES}`);
  });
});

describe('the stand-in for a left-out package', () => {
  it('loads and answers property reads, as docker-modem needs when it loads', () => {
    const ssh2 = unbundled('ssh2') as { Client: unknown };
    assert.equal(typeof ssh2.Client, 'function');
    // Logging it or awaiting it does not throw either.
    assert.doesNotThrow(() => String(Object.prototype.toString.call(ssh2)));
    assert.equal((ssh2 as { then?: unknown }).then, undefined);
  });

  it('throws a clear error naming the package and what used it when constructed or called', () => {
    const ssh2 = unbundled('ssh2') as { Client: new () => unknown };
    assert.throws(
      () => new ssh2.Client(),
      (err: Error) => err instanceof UnbundledModuleError && /^Berth does not bundle ssh2: ssh:\/\/ engines go through the system ssh/.test(err.message) && err.message.includes('ssh2.Client'),
    );
    const grpc = unbundled('@grpc/grpc-js') as { ServerCredentials: { createInsecure(): unknown } };
    assert.throws(() => grpc.ServerCredentials.createInsecure(), /Berth does not bundle @grpc\/grpc-js: Berth opens no BuildKit session.*@grpc\/grpc-js\.ServerCredentials\.createInsecure/);
    const protobuf = unbundled('protobufjs') as (...a: unknown[]) => unknown;
    assert.throws(() => protobuf(), /Berth does not bundle protobufjs/);
  });
});

describe('dockerode bundled with the stand-ins', function () {
  this.timeout(60_000);
  let tmp: string;
  type DockerCtor = new (o: object) => { ping(): Promise<unknown>; version(): Promise<{ Version: string }> };
  let Docker: DockerCtor;
  let server: http.Server | undefined;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bundle-'));
    const opts = config.buildOptions({ production: true, outfile: path.join(tmp, 'dockerode.js') });
    // The same plugins and settings as the extension, with dockerode alone as the entry.
    await esbuild.build({ ...opts, entryPoints: undefined, stdin: { contents: "module.exports = require('dockerode');", resolveDir: root }, logLevel: 'silent' });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Docker = require(path.join(tmp, 'dockerode.js')) as DockerCtor;
  });

  after(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('loads and talks HTTP to an engine over a unix socket', async () => {
    const socketPath = path.join(tmp, 'engine.sock');
    server = http.createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(req.url?.endsWith('/version') ? JSON.stringify({ Version: '99.0.0-fake' }) : '"OK"');
    });
    await new Promise<void>((resolve) => server!.listen(socketPath, resolve));
    const docker = new Docker({ socketPath });
    assert.equal((await docker.version()).Version, '99.0.0-fake');
  });

  it("fails loudly if docker-modem's own ssh transport is ever reached", async () => {
    const docker = new Docker({ protocol: 'ssh', host: 'berth-test.invalid', port: 22, username: 'nobody' });
    await assert.rejects(docker.ping(), /Berth does not bundle ssh2: ssh:\/\/ engines go through the system ssh/);
  });
});

describe('the Resource Usage bundles', function () {
  this.timeout(60_000);
  interface UsageConfig {
    buildOptions(o: { production: boolean; outfile?: string }): esbuild.BuildOptions;
    usageBuildOptions(o: { production: boolean; outfile?: string }): esbuild.BuildOptions;
    usagePanelBuildOptions(o: { production: boolean; outfile?: string }): esbuild.BuildOptions;
    usageIn(m: esbuild.Metafile): string[];
    MAX_USAGE_BYTES: number;
    MAX_USAGE_PANEL_BYTES: number;
  }
  const usage = config as unknown as UsageConfig;
  let tmp: string;
  const build = async (opts: esbuild.BuildOptions) => (await esbuild.build({ ...opts, logLevel: 'silent' })) as esbuild.BuildResult & { metafile: esbuild.Metafile };

  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bundle-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('keeps the panel, sampler and history out of extension.js, which requires usage.js beside it', async () => {
    const ext = await build(usage.buildOptions({ production: true, outfile: path.join(tmp, 'extension.js') }));
    assert.deepEqual(usage.usageIn(ext.metafile), []);
    assert.match(fs.readFileSync(path.join(tmp, 'extension.js'), 'utf8'), /require\("\.\/usage\.js"\)/);
    const host = await build(usage.usageBuildOptions({ production: true, outfile: path.join(tmp, 'usage.js') }));
    assert.ok(usage.usageIn(host.metafile).some((i) => i.includes('src/ui/usagePanel')), 'usage.js holds the panel');
    assert.ok(fs.statSync(path.join(tmp, 'usage.js')).size <= usage.MAX_USAGE_BYTES);
  });

  it('bundles the page with uPlot and its stylesheet for the browser, with no Node module', async () => {
    const page = await build(usage.usagePanelBuildOptions({ production: true, outfile: path.join(tmp, 'usagePanel.js') }));
    const inputs = Object.keys(page.metafile.inputs);
    assert.ok(inputs.some((i) => i.includes('node_modules/uplot/dist/uPlot.esm.js')), 'uPlot is in the page');
    assert.ok(inputs.some((i) => i.endsWith('uPlot.min.css')), "uPlot's stylesheet is in the page's CSS");
    assert.ok(!inputs.some((i) => /node_modules\/(dockerode|vscode)/.test(i)));
    assert.ok(fs.statSync(path.join(tmp, 'usagePanel.js')).size <= usage.MAX_USAGE_PANEL_BYTES);
    assert.ok(fs.existsSync(path.join(tmp, 'usagePanel.css')), 'its CSS beside it, for a linked stylesheet');
  });
});

describe('the container files bundle', function () {
  this.timeout(60_000);
  let tmp: string;
  let ext: esbuild.BuildResult & { metafile: esbuild.Metafile };
  let files: esbuild.BuildResult & { metafile: esbuild.Metafile };
  const filesConfig = config as unknown as { filesBuildOptions(o: { production: boolean; outfile?: string }): esbuild.BuildOptions; filesIn(m: esbuild.Metafile): string[]; MAX_FILES_BYTES: number };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bundle-'));
    ext = (await esbuild.build({ ...config.buildOptions({ production: true, outfile: path.join(tmp, 'extension.js') }), logLevel: 'silent' })) as typeof ext;
    files = (await esbuild.build({ ...filesConfig.filesBuildOptions({ production: true, outfile: path.join(tmp, 'files.js') }), logLevel: 'silent' })) as typeof files;
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('keeps the file system, Files rows and actions out of extension.js, which requires files.js beside it', () => {
    assert.deepEqual(filesConfig.filesIn(ext.metafile), []);
    const imports = Object.values(ext.metafile.outputs).flatMap((o) => o.imports);
    assert.ok(imports.some((i) => i.path === './files.js' && i.external), 'extension.js does not require ./files.js');
  });

  it('holds them in files.js, without dockerode (the engine comes from extension.js), under its limit', () => {
    const inputs = Object.keys(files.metafile.inputs);
    assert.ok(filesConfig.filesIn(files.metafile).some((i) => i.includes('src/commands/files/provider')), 'the provider is not in files.js');
    assert.deepEqual(inputs.filter((i) => packagesOf(i).includes('dockerode')), []);
    const bytes = fs.statSync(path.join(tmp, 'files.js')).size;
    assert.ok(bytes <= filesConfig.MAX_FILES_BYTES, `files.js is ${bytes} bytes, over ${filesConfig.MAX_FILES_BYTES}`);
  });
});
