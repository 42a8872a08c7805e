// What esbuild.js bundles in place of the packages Berth leaves out of dist/extension.js:
// ssh2 (docker-modem's ssh:// transport: Berth runs the system ssh, see sshTunnel.ts) and
// @grpc/grpc-js, @grpc/proto-loader and protobufjs (dockerode's BuildKit session and output
// decoding: Berth opens no session and decodes build output itself). With their helpers they
// were ~740 KB of a 1.1 MB bundle.
//
// docker-modem reads `require('ssh2').Client` and dockerode's session.js requires grpc when
// dockerode loads, so the stand-in must load and answer property reads; it throws as soon as
// anything is called or constructed, naming the package and the path that was used.

/** Why each left-out package is not needed; the text of the error a caller gets. */
export const UNBUNDLED_REASONS: Readonly<Record<string, string>> = {
  ssh2: 'ssh:// engines go through the system ssh (src/engine/sshTunnel.ts), never through docker-modem\'s ssh transport',
  '@grpc/grpc-js': 'Berth opens no BuildKit session (dockerode\'s buildImage with version "2")',
  '@grpc/proto-loader': 'Berth opens no BuildKit session (dockerode\'s buildImage with version "2")',
  protobufjs: 'Berth decodes build output itself, not with dockerode\'s BuildKit decoder (followProgress)',
};

export class UnbundledModuleError extends Error {
  constructor(
    readonly moduleId: string,
    readonly used: string,
  ) {
    super(`Berth does not bundle ${moduleId}: ${UNBUNDLED_REASONS[moduleId] ?? 'it is left out of dist/extension.js'}. Something used ${used}; see esbuild.js.`);
    this.name = 'UnbundledModuleError';
  }
}

/** The stand-in for `require(moduleId)`: any property is another stand-in; calling or constructing throws. */
export function unbundled(moduleId: string): unknown {
  return standIn(moduleId, moduleId);
}

function standIn(moduleId: string, used: string): unknown {
  const fail = (): never => {
    throw new UnbundledModuleError(moduleId, used);
  };
  return new Proxy(function unbundledModule() {}, {
    get(_target, key) {
      // Symbols (util.inspect, Symbol.toPrimitive, iterators) and the interop flag answer
      // "nothing here" so that logging or bundler glue never trips over the stand-in.
      if (typeof key === 'symbol' || key === '__esModule') return undefined;
      // A stand-in must not look like a promise: `await`ing it would call `then` and throw
      // somewhere unrelated instead of where it is used.
      if (key === 'then') return undefined;
      return standIn(moduleId, `${used}.${key}`);
    },
    apply: fail,
    construct: fail,
    set: fail,
    defineProperty: fail,
  });
}
