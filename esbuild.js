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

function buildOptions({ production, outfile = 'dist/extension.js' }) {
  return {
    absWorkingDir: __dirname,
    entryPoints: ['src/extension.ts'],
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
    plugins: [leaveOut],
  };
}

function checkMetafile(metafile) {
  const back = forbiddenIn(metafile);
  if (back.length) throw new Error(`dist/extension.js would contain ${back.join(', ')}, which Berth leaves out (see esbuild.js): something new requires them`);
}

async function main() {
  const production = process.argv.includes('--production');
  const ctx = await esbuild.context(buildOptions({ production }));
  if (process.argv.includes('--watch')) {
    await ctx.watch();
    return;
  }
  const result = await ctx.rebuild();
  await ctx.dispose();
  fs.writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
  checkMetafile(result.metafile);
  // Older builds copied dockerode's .proto files for its BuildKit helpers; nothing reads them now.
  fs.rmSync('dist/proto', { recursive: true, force: true });
  const bytes = fs.statSync('dist/extension.js').size;
  console.log(`dist/extension.js ${(bytes / 1024).toFixed(0)} KiB${production ? ' (minified)' : ''}`);
  if (production && bytes > MAX_BUNDLE_BYTES) throw new Error(`dist/extension.js is ${bytes} bytes, over the ${MAX_BUNDLE_BYTES} allowed (see dist/meta.json)`);
}

module.exports = { UNBUNDLED, FORBIDDEN, MAX_BUNDLE_BYTES, buildOptions, packageOf, packageSizes, forbiddenIn };

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
