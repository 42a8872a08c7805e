// Bundles the extension into dist/extension.js. dockerode stays in the bundle but is only
// evaluated on first connect (see src/engine/index.ts).
//
// Left out of the bundle: ssh2, @grpc/grpc-js, @grpc/proto-loader and protobufjs, which
// dockerode and docker-modem require for paths Berth never takes (docker-modem's own ssh
// transport; dockerode's BuildKit session and BuildKit output decoder). With their helpers
// (tweetnacl, bcrypt-pbkdf, asn1, long, ...) they were ~740 KB of the 1.1 MB minified bundle.
// They are not marked external: `vsce package --no-dependencies` ships no node_modules, so an
// external require would fail with "Cannot find module" far from its cause, and only when
// reached. Each is replaced by src/engine/unbundled.ts, which loads (docker-modem reads
// `require('ssh2').Client` at load time) and throws "Berth does not bundle <package>: <why>"
// the moment anything calls or constructs it. The build fails if any of them comes back.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

/** Module ids replaced by the stand-in; each one's reason is in src/engine/unbundled.ts. */
const UNBUNDLED = ['ssh2', '@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs'];
/** Packages that must not be in the bundle: the above and what only they pull in. */
const FORBIDDEN = [...UNBUNDLED, 'tweetnacl', 'bcrypt-pbkdf', 'long', 'asn1', 'cpu-features', '@js-sdsl/ordered-map', 'lodash.camelcase'];
/** What a production bundle may weigh (issue 13: it was 1.13 MB, 720 KB of it never run). */
const MAX_BUNDLE_BYTES = 450 * 1000;
/**
 * dist/compose.js, the second bundle (src/model/compose/index.ts): yaml, js-yaml, ajv and the Compose
 * schema, loaded on first use of the Compose view or a Compose command. Its own limit, so the
 * weight it moved out of dist/extension.js cannot grow unnoticed either.
 */
const MAX_COMPOSE_BYTES = 400 * 1000;
/** The id src/ui/composeModule.ts requires; left external, it finds dist/compose.js beside the bundle. */
const COMPOSE_MODULE_ID = './compose.js';
/**
 * dist/usagePanel.js (+ .css), the Resource Usage panel's page (src/webview/usagePanel): uPlot and
 * the plotting code, run in the webview, never in the extension host. Its own limit too.
 */
const MAX_USAGE_PANEL_BYTES = 120 * 1000;
/**
 * dist/usage.js (src/commands/usageFeature.ts): the Resource Usage feature's extension-host side
 * (history, sampler, panels, rows' text), required by src/commands/usage.ts on first use.
 */
const MAX_USAGE_BYTES = 60 * 1000;
const USAGE_MODULE_ID = './usage.js';
/** Packages only the Compose bundle may hold. */
const COMPOSE_ONLY = ['yaml', 'js-yaml', 'ajv', 'ajv-formats', 'fast-deep-equal', 'json-schema-traverse', 'fast-uri', 'require-from-string'];
/**
 * dist/kube.js (src/model/kube/index.ts): the Kubernetes export, with kubernetes-models' API
 * schemas (~340 KB), their validator's helpers and yaml, loaded on the first Export to Kubernetes….
 */
const MAX_KUBE_BYTES = 650 * 1000;
/** The id src/ui/kubeModule.ts requires, left external like the Compose bundle's. */
const KUBE_MODULE_ID = './kube.js';
/**
 * dist/swarm.js (src/commands/swarm/index.ts): the Services view's watcher, tree and actions,
 * required when an engine first becomes ready (to learn whether it is a Swarm manager).
 */
const MAX_SWARM_BYTES = 120 * 1000;
/** The id src/ui/swarmModule.ts requires, left external like the Compose bundle's. */
const SWARM_MODULE_ID = './swarm.js';
/**
 * dist/registries.js (src/commands/registries/index.ts): the Registries view, the registry API
 * client and Log In/Log Out, required when the view is first shown or a registry command first runs.
 */
const MAX_REGISTRIES_BYTES = 70 * 1000;
/** The id src/ui/registriesModule.ts requires, left external like the Compose bundle's. */
const REGISTRIES_MODULE_ID = './registries.js';
/**
 * dist/transfer.js (src/commands/transferFeature.ts): Pull, Tag, Push, Save and Load with their
 * progress terminal and the docker CLI's credentials, required on the first of those commands.
 */
const MAX_TRANSFER_BYTES = 60 * 1000;
const TRANSFER_MODULE_ID = './transfer.js';
/**
 * dist/composeChecks.js (src/commands/composeChecks.ts): what Compose commands say when something is
 * at stake (a file's problems, keys the program refuses, what Down removes), required on first use.
 */
const MAX_COMPOSE_CHECKS_BYTES = 30 * 1000;
const COMPOSE_CHECKS_MODULE_ID = './composeChecks.js';
/**
 * dist/dockerfile.js (src/model/dockerfile.ts): the Dockerfile reader, with dockerfile-ast and the
 * language-server types it brings (~90 KB, a fifth of extension.js), required on the first build.
 */
const MAX_DOCKERFILE_BYTES = 120 * 1000;
const DOCKERFILE_MODULE_ID = './dockerfile.js';
/**
 * dist/files.js (src/commands/files/index.ts): container files (issue 25), the file system behind
 * berth-container: URIs, the Files rows and their commands, required on first use.
 */
/** tar-fs and tar-stream (for Download… and Upload…) are most of it. */
const MAX_FILES_BYTES = 120 * 1000;
const FILES_MODULE_ID = './files.js';
/**
 * dist/lifecycle.js (src/commands/lifecycle/index.ts): Create Network…, Create Volume…, Connect to
 * Network… and Disconnect, Rename… (issue 28), required on the first of them.
 */
const MAX_LIFECYCLE_BYTES = 60 * 1000;
const LIFECYCLE_MODULE_ID = './lifecycle.js';
/**
 * dist/layers.js (src/commands/layersFeature.ts): Image Layers, Disk Usage and the Dockerfile line
 * costs, with tar-stream and the analysis, required on the first Show Image Layers or line cost.
 */
const MAX_LAYERS_BYTES = 120 * 1000;
const LAYERS_MODULE_ID = './layers.js';
/**
 * dist/language.js (src/ui/language/index.ts): help while typing in Dockerfiles and Compose files,
 * required when the first one is opened; the parsers come from dist/dockerfile.js and dist/compose.js.
 * dockerfile-language-service (completion, hover, signature help, formatting) is bundled here with
 * its own copy of dockerfile-ast, which it imports directly (~290 KB of the ~320 KB, mostly its reference texts).
 */
const MAX_LANGUAGE_BYTES = 340 * 1000;
const LANGUAGE_MODULE_ID = './language.js';
/** Packages only the Dockerfile bundle may hold. */
const DOCKERFILE_ONLY = ['dockerfile-ast', 'vscode-languageserver-types', 'vscode-languageserver-textdocument'];
/** Packages only the Kubernetes bundle may hold (yaml it shares with the Compose bundle). */
const KUBE_ONLY = ['kubernetes-models', '@kubernetes-models/base', '@kubernetes-models/validate', '@kubernetes-models/apimachinery', 'ajv-formats-draft2019', 'ajv-i18n', 'is-cidr', 'cidr-regex', 'smtp-address-parser', 'nearley', 'uri-js'];

const unbundledStandIn = path.join(__dirname, 'src', 'engine', 'unbundled.ts');

/** Resolves each UNBUNDLED id (and its subpaths) to a module that exports the stand-in. */
const leaveOut = {
  name: 'berth-unbundled',
  setup(build) {
    const ids = UNBUNDLED.map((id) => id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
    build.onResolve({ filter: new RegExp(`^(${ids})(/.*)?$`) }, (args) => ({ path: args.path, namespace: 'berth-unbundled' }));
    build.onLoad({ filter: /.*/, namespace: 'berth-unbundled' }, (args) => {
      const id = UNBUNDLED.find((u) => args.path === u || args.path.startsWith(`${u}/`));
      return {
        contents: `module.exports = require(${JSON.stringify(unbundledStandIn)}).unbundled(${JSON.stringify(id)});`,
        resolveDir: __dirname,
        loader: 'js',
      };
    });
  },
};

/** The package a metafile input belongs to ("node_modules/a/node_modules/@b/c/x.js" -> "@b/c"). */
function packageOf(input) {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)(?!.*node_modules\/)/);
  return m ? m[1] : undefined;
}

/** Bytes of the output each package accounts for, from esbuild's metafile. */
function packageSizes(metafile) {
  const sizes = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = packageOf(input) ?? (input.startsWith('berth-unbundled:') ? '(stand-ins)' : '(berth)');
      sizes[pkg] = (sizes[pkg] ?? 0) + bytesInOutput;
    }
  }
  return sizes;
}

/** Packages from FORBIDDEN found in the metafile's inputs. */
function forbiddenIn(metafile) {
  return [...new Set(Object.keys(metafile.inputs).map(packageOf).filter((p) => p && (FORBIDDEN.includes(p) || p.startsWith('@protobufjs/'))))];
}

/** Leaves the Compose bundle's require as is: it is a separate file, loaded when first needed. */
const composeExternal = {
  name: 'berth-compose-external',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^${COMPOSE_MODULE_ID.replace(/[.]/g, '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: new RegExp(`^${USAGE_MODULE_ID.replace(/[.]/g, '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: new RegExp(`^${KUBE_MODULE_ID.replace(/[.]/g, '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: new RegExp(`^${SWARM_MODULE_ID.replace(/[.]/g, '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: new RegExp(`^${REGISTRIES_MODULE_ID.replace(/[.]/g, '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: new RegExp(`^${TRANSFER_MODULE_ID.replace(/[.]/g, '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: new RegExp(`^${COMPOSE_CHECKS_MODULE_ID.replace(/[.]/g, '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: new RegExp(`^${DOCKERFILE_MODULE_ID.replace(/[.]/g, '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: new RegExp(`^${FILES_MODULE_ID.replace(/[.]/g, '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: new RegExp(`^${LIFECYCLE_MODULE_ID.replace(/[.]/g, '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: new RegExp(`^${LAYERS_MODULE_ID.replace(/[.]/g, '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: new RegExp(`^${LANGUAGE_MODULE_ID.replace(/[.]/g, '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
  },
};

function buildOptions({ production, outfile = 'dist/extension.js', entry = 'src/extension.ts' }) {
  return {
    absWorkingDir: __dirname,
    entryPoints: [entry],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    outfile,
    external: ['vscode'],
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [leaveOut, composeExternal],
  };
}

function composeBuildOptions({ production, outfile = 'dist/compose.js' }) {
  return buildOptions({ production, outfile, entry: 'src/model/compose/index.ts' });
}

function kubeBuildOptions({ production, outfile = 'dist/kube.js' }) {
  return buildOptions({ production, outfile, entry: 'src/model/kube/index.ts' });
}

function composeChecksBuildOptions({ production, outfile = 'dist/composeChecks.js' }) {
  return buildOptions({ production, outfile, entry: 'src/commands/composeChecks.ts' });
}

function dockerfileBuildOptions({ production, outfile = 'dist/dockerfile.js' }) {
  return buildOptions({ production, outfile, entry: 'src/model/dockerfile.ts' });
}

function layersBuildOptions({ production, outfile = 'dist/layers.js' }) {
  return buildOptions({ production, outfile, entry: 'src/commands/layersFeature.ts' });
}

/** The layers feature's modules found in the extension bundle's metafile (they belong in dist/layers.js; tar-stream is there already, for tar-fs). */
function layersIn(metafile) {
  return Object.keys(metafile.inputs).filter((i) => /src\/(model\/layers\/|commands\/layersFeature)/.test(i));
}

function languageBuildOptions({ production, outfile = 'dist/language.js' }) {
  return buildOptions({ production, outfile, entry: 'src/ui/language/index.ts' });
}

/** The language features' code found in the extension bundle's metafile (it belongs in dist/language.js). */
function languageIn(metafile) {
  return Object.keys(metafile.inputs).filter((i) => i.includes('src/ui/language/'));
}

/** The Dockerfile reader's packages (or its code) found in the extension bundle's metafile. */
function dockerfileIn(metafile) {
  const inputs = Object.keys(metafile.inputs);
  return [...new Set([...inputs.map(packageOf).filter((p) => p && DOCKERFILE_ONLY.includes(p)), ...inputs.filter((i) => i.includes('src/model/dockerfile.ts'))])];
}

function filesBuildOptions({ production, outfile = 'dist/files.js' }) {
  return buildOptions({ production, outfile, entry: 'src/commands/files/index.ts' });
}

/** The files feature's modules found in the extension bundle's metafile (they belong in dist/files.js). */
function filesIn(metafile) {
  return Object.keys(metafile.inputs).filter((i) => /src\/(commands\/files\/|model\/files\/(containerFiles|transfer))/.test(i));
}

function lifecycleBuildOptions({ production, outfile = 'dist/lifecycle.js' }) {
  return buildOptions({ production, outfile, entry: 'src/commands/lifecycle/index.ts' });
}

/** The lifecycle flows' modules found in the extension bundle's metafile (they belong in dist/lifecycle.js). */
function lifecycleIn(metafile) {
  return Object.keys(metafile.inputs).filter((i) => i.includes('src/commands/lifecycle/'));
}

function swarmBuildOptions({ production, outfile = 'dist/swarm.js' }) {
  return buildOptions({ production, outfile, entry: 'src/commands/swarm/index.ts' });
}

function registriesBuildOptions({ production, outfile = 'dist/registries.js' }) {
  return buildOptions({ production, outfile, entry: 'src/commands/registries/index.ts' });
}

function transferBuildOptions({ production, outfile = 'dist/transfer.js' }) {
  return buildOptions({ production, outfile, entry: 'src/commands/transferFeature.ts' });
}

/** The transfer feature's modules found in the extension bundle's metafile (they belong in dist/transfer.js). */
function transferIn(metafile) {
  return Object.keys(metafile.inputs).filter((i) => /src\/(commands\/transferFeature|model\/transferProgress|model\/registryCredentials|model\/imageArchive|terminals\/transferTerminal)/.test(i));
}

/** The Kubernetes export's packages (or its code) found in the extension bundle's metafile. */
function kubeIn(metafile) {
  const inputs = Object.keys(metafile.inputs);
  return [...new Set([...inputs.map(packageOf).filter((p) => p && KUBE_ONLY.includes(p)), ...inputs.filter((i) => i.includes('src/model/kube/'))])];
}

function usageBuildOptions({ production, outfile = 'dist/usage.js' }) {
  return buildOptions({ production, outfile, entry: 'src/commands/usageFeature.ts' });
}

/** The usage feature's modules found in the extension bundle's metafile (they belong in dist/usage.js). */
function usageIn(metafile) {
  return Object.keys(metafile.inputs).filter((i) => /src\/(model\/resourceUsage|session\/usageSampler|ui\/usagePanel|tree\/containers\/usageRows|commands\/usageFeature)/.test(i));
}

/** The webview page's bundle: a browser script, its CSS (uPlot's and the panel's) beside it. */
function usagePanelBuildOptions({ production, outfile = 'dist/usagePanel.js' }) {
  return {
    absWorkingDir: __dirname,
    entryPoints: ['src/webview/usagePanel/main.ts'],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    outfile,
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  };
}

/** Compose's packages (or the schema) found in the extension bundle's metafile. */
function composeIn(metafile) {
  const inputs = Object.keys(metafile.inputs);
  return [...new Set([...inputs.map(packageOf).filter((p) => p && COMPOSE_ONLY.includes(p)), ...inputs.filter((i) => i.includes('src/model/compose/'))])];
}

function checkMetafile(metafile, { compose = false, kube = false } = {}) {
  const name = compose ? 'dist/compose.js' : kube ? 'dist/kube.js' : 'dist/extension.js';
  const back = forbiddenIn(metafile);
  if (back.length) throw new Error(`${name} would contain ${back.join(', ')}, which Berth leaves out (see esbuild.js): something new requires them`);
  const moved = compose || kube ? [] : composeIn(metafile);
  if (moved.length) throw new Error(`dist/extension.js would contain ${moved.join(', ')}, which belong in dist/compose.js: import src/model/compose as types only outside it`);
  const kubeMoved = kube ? [] : kubeIn(metafile);
  if (kubeMoved.length) throw new Error(`${name} would contain ${kubeMoved.join(', ')}, which belong in dist/kube.js: import src/model/kube as types only outside it`);
}

async function main() {
  const production = process.argv.includes('--production');
  const bundles = [
    { options: buildOptions({ production }), file: 'dist/extension.js', meta: 'dist/meta.json', max: MAX_BUNDLE_BYTES, compose: false },
    { options: composeBuildOptions({ production }), file: 'dist/compose.js', meta: 'dist/compose.meta.json', max: MAX_COMPOSE_BYTES, compose: true },
    { options: kubeBuildOptions({ production }), file: 'dist/kube.js', meta: 'dist/kube.meta.json', max: MAX_KUBE_BYTES, kube: true },
    { options: swarmBuildOptions({ production }), file: 'dist/swarm.js', meta: 'dist/swarm.meta.json', max: MAX_SWARM_BYTES },
    { options: registriesBuildOptions({ production }), file: 'dist/registries.js', meta: 'dist/registries.meta.json', max: MAX_REGISTRIES_BYTES },
    { options: transferBuildOptions({ production }), file: 'dist/transfer.js', meta: 'dist/transfer.meta.json', max: MAX_TRANSFER_BYTES },
    { options: composeChecksBuildOptions({ production }), file: 'dist/composeChecks.js', meta: 'dist/composeChecks.meta.json', max: MAX_COMPOSE_CHECKS_BYTES },
    { options: dockerfileBuildOptions({ production }), file: 'dist/dockerfile.js', meta: 'dist/dockerfile.meta.json', max: MAX_DOCKERFILE_BYTES },
    { options: filesBuildOptions({ production }), file: 'dist/files.js', meta: 'dist/files.meta.json', max: MAX_FILES_BYTES },
    { options: lifecycleBuildOptions({ production }), file: 'dist/lifecycle.js', meta: 'dist/lifecycle.meta.json', max: MAX_LIFECYCLE_BYTES },
    { options: layersBuildOptions({ production }), file: 'dist/layers.js', meta: 'dist/layers.meta.json', max: MAX_LAYERS_BYTES },
    { options: languageBuildOptions({ production }), file: 'dist/language.js', meta: 'dist/language.meta.json', max: MAX_LANGUAGE_BYTES },
    { options: usageBuildOptions({ production }), file: 'dist/usage.js', meta: 'dist/usage.meta.json', max: MAX_USAGE_BYTES, usage: true },
    { options: usagePanelBuildOptions({ production }), file: 'dist/usagePanel.js', meta: 'dist/usagePanel.meta.json', max: MAX_USAGE_PANEL_BYTES },
  ];
  const contexts = await Promise.all(bundles.map((b) => esbuild.context(b.options)));
  if (process.argv.includes('--watch')) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    return;
  }
  for (const [i, b] of bundles.entries()) {
    const result = await contexts[i].rebuild();
    await contexts[i].dispose();
    fs.writeFileSync(b.meta, JSON.stringify(result.metafile));
    checkMetafile(result.metafile, { compose: b.compose, kube: b.kube });
    const usageMoved = b.file === 'dist/extension.js' ? usageIn(result.metafile) : [];
    const dockerfileMoved = b.file === 'dist/extension.js' ? dockerfileIn(result.metafile) : b.file === 'dist/language.js' ? dockerfileIn(result.metafile).filter((i) => i.includes('src/model/dockerfile.ts')) : [];
    const languageMoved = b.file === 'dist/extension.js' ? languageIn(result.metafile) : [];
    if (languageMoved.length) throw new Error(`dist/extension.js would contain ${languageMoved.join(', ')}, which belong in dist/language.js: import src/ui/language as types only outside it`);
    const filesMoved = b.file === 'dist/extension.js' ? filesIn(result.metafile) : [];
    if (filesMoved.length) throw new Error(`dist/extension.js would contain ${filesMoved.join(', ')}, which belong in dist/files.js: import them as types only outside it`);
    const lifecycleMoved = b.file === 'dist/extension.js' ? lifecycleIn(result.metafile) : [];
    if (lifecycleMoved.length) throw new Error(`dist/extension.js would contain ${lifecycleMoved.join(', ')}, which belong in dist/lifecycle.js: import src/commands/lifecycle as types only outside it`);
    const layersMoved = b.file === 'dist/extension.js' ? layersIn(result.metafile) : [];
    if (layersMoved.length) throw new Error(`dist/extension.js would contain ${layersMoved.join(', ')}, which belong in dist/layers.js: import them as types only outside it`);
    const transferMoved = b.file === 'dist/extension.js' ? transferIn(result.metafile) : [];
    if (transferMoved.length) throw new Error(`dist/extension.js would contain ${transferMoved.join(', ')}, which belong in dist/transfer.js: import them as types only outside it`);
    if (dockerfileMoved.length) throw new Error(`${b.file} would contain ${dockerfileMoved.join(', ')}, which belong in dist/dockerfile.js: import src/model/dockerfile as types only outside it`);
    if (usageMoved.length) throw new Error(`dist/extension.js would contain ${usageMoved.join(', ')}, which belong in dist/usage.js: import them as types only outside it`);
    const bytes = fs.statSync(b.file).size;
    console.log(`${b.file} ${(bytes / 1024).toFixed(0)} KiB${production ? ' (minified)' : ''}`);
    if (production && bytes > b.max) throw new Error(`${b.file} is ${bytes} bytes, over the ${b.max} allowed (see ${b.meta})`);
  }
  // Older builds copied dockerode's .proto files for its BuildKit helpers; nothing reads them now.
  fs.rmSync('dist/proto', { recursive: true, force: true });
}

module.exports = { UNBUNDLED, MAX_FILES_BYTES, filesBuildOptions, filesIn, MAX_DOCKERFILE_BYTES, dockerfileBuildOptions, dockerfileIn, FORBIDDEN, MAX_BUNDLE_BYTES, MAX_COMPOSE_BYTES, MAX_KUBE_BYTES, MAX_SWARM_BYTES, swarmBuildOptions, MAX_COMPOSE_CHECKS_BYTES, composeChecksBuildOptions, MAX_USAGE_PANEL_BYTES, usagePanelBuildOptions, MAX_USAGE_BYTES, usageBuildOptions, usageIn, COMPOSE_ONLY, KUBE_ONLY, buildOptions, composeBuildOptions, kubeBuildOptions, packageOf, packageSizes, forbiddenIn, composeIn, kubeIn, MAX_REGISTRIES_BYTES, registriesBuildOptions, MAX_TRANSFER_BYTES, transferBuildOptions, transferIn, MAX_LIFECYCLE_BYTES, lifecycleBuildOptions, lifecycleIn, MAX_LAYERS_BYTES, layersBuildOptions, layersIn, MAX_LANGUAGE_BYTES, languageBuildOptions, languageIn };

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
