// What went wrong in a Compose program's run, read from its output: which service and why, and
// the file position when Compose reported one. Texts as docker-compose 1.29 and Compose v2 print
// them (seen with 1.29.2 here; v2's from its source and issue threads).
import * as path from 'path';

export interface ComposeFailure {
  /** The service the failure is about, when the output names one. */
  service?: string;
  /** The reason, without the engine's plumbing ("Bind for 127.0.0.1:8080 failed: port is already allocated"). */
  reason: string;
  /** A position Compose reported: absolute file, 1-based line and column. */
  position?: { file: string; line: number; column: number };
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** The engine's words for a reason, its plumbing left out. */
export function shortReason(text: string): string {
  let t = text.trim();
  const bind = /Bind for \S+ failed: port is already allocated/.exec(t);
  if (bind) return bind[0];
  // runc: "... unable to start container process: exec: \"x\": executable file not found in $PATH: unknown"
  const proc = /unable to start container process: (.*?)(?:: unknown)?$/.exec(t);
  if (proc) return proc[1];
  t = t.replace(/^Error response from daemon: /, '');
  return t;
}

/** "proj_web_1" (v1) or "proj-web-1" (v2): the service, when the project's name is known. */
function serviceOfContainer(container: string, project: string | undefined): string | undefined {
  if (!project) return undefined;
  for (const sep of ['_', '-']) {
    const m = new RegExp(`^${project.replace(/[-\\^$*+?.()|[\]{}]/g, '\\$&')}${sep}(.+)${sep}\\d+$`).exec(container);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * The failure a run's output tells, or undefined when it names none. `folder` resolves the
 * relative paths v1 prints ("./docker-compose.yml"); `project` reads service names out of
 * container names.
 */
export function composeFailure(output: string, ctx: { folder: string; project?: string }): ComposeFailure | undefined {
  const lines = output.replace(ANSI, '').split(/\r?\n/).map((l) => l.replace(/\s+$/, ''));
  const resolve = (f: string) => path.resolve(ctx.folder, f);
  // v1's schema refusal: "The Compose file './compose.yaml' is invalid because:", one cause per
  // line, then a blank line and advice about file versions that says nothing of the cause.
  const invalid = lines.findIndex((l) => /^(?:ERROR: )?The Compose file '[^']+' is invalid because:$/.test(l));
  if (invalid >= 0) {
    const causes: string[] = [];
    for (const l of lines.slice(invalid + 1)) {
      if (!l.trim()) break;
      causes.push(l.trim());
    }
    // A service only when the one cause is about one.
    if (causes.length) return { service: causes.length === 1 ? /\bservices\.([^.:\s']+)/.exec(causes[0])?.[1] : undefined, reason: causes.join('; ') };
  }
  for (let i = 0; i < lines.length; i++) {
    // v1's YAML errors: the message, then `  in "./docker-compose.yml", line 4, column 12`.
    const at = /^\s*in "([^"]+)", line (\d+), column (\d+)/.exec(lines[i]);
    if (at) {
      const message = lines
        .slice(0, i)
        .reverse()
        .find((l) => l.trim());
      return { reason: (message ?? '').replace(/^(ERROR: )?yaml\.\w+\.\w+: /, ''), position: { file: resolve(at[1]), line: Number(at[2]), column: Number(at[3]) } };
    }
    // v2: "yaml: line 4: did not find expected key", after the file when it says which.
    const v2 = /(?:(\S+\.ya?ml): )?(?:yaml: )?line (\d+): (.+)$/.exec(lines[i]);
    if (v2 && /yaml: line \d+/.test(lines[i]) && v2[1]) return { reason: v2[3], position: { file: resolve(v2[1]), line: Number(v2[2]), column: 1 } };
  }
  // The last error says it best: v1 repeats "ERROR: for web  ..." after the container's line.
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i];
    let m = /^ERROR: for (\S+)\s+(?:Cannot (?:start|create) service (\S+?): )?(.+)$/.exec(l);
    if (m) return { service: m[2] ?? serviceOfContainer(m[1], ctx.project) ?? m[1], reason: shortReason(m[3]) };
    m = /^(?:ERROR: )?Service '([^']+)' failed to build\s*:?\s*(.*)$/.exec(l);
    if (m) {
      const before = lines
        .slice(0, i)
        .reverse()
        .find((x) => x.trim());
      return { service: m[1], reason: before?.trim() || m[2] || 'build failed' };
    }
    // v2: "target web: failed to solve: ..."
    m = /^(?:ERROR: )?target (\S+): (failed to solve: .+)$/.exec(l);
    if (m) return { service: m[1], reason: m[2] };
    m = /^(?:Error response from daemon: )?driver failed programming external connectivity on endpoint (\S+) .*$/.exec(l);
    if (m) return { service: serviceOfContainer(m[1], ctx.project), reason: shortReason(l) };
    m = /^(?:ERROR: |Error: |Error response from daemon: )(.+)$/.exec(l);
    if (m && !/^Encountered errors/.test(m[1])) {
      // A pull names its service on the line before ("Pulling web (image)...").
      const pulling = lines
        .slice(0, i)
        .reverse()
        .map((x) => /^Pulling (\S+) \(/.exec(x.trim()))
        .find(Boolean);
      return { service: pulling?.[1], reason: shortReason(m[1]) };
    }
  }
  // A pull that failed with the registry's text alone, after its "Pulling web (...)..." line.
  const pull = lines.findIndex((l) => /^Pulling \S+ \(.*\)\.\.\.$/.test(l.trim()));
  if (pull >= 0) {
    const rest = lines.slice(pull + 1).filter((l) => l.trim());
    if (rest.length) return { service: /^Pulling (\S+)/.exec(lines[pull].trim())?.[1], reason: rest[rest.length - 1].trim() };
  }
  // Advice lines say nothing of the cause: the line before them does.
  const last = [...lines].reverse().find((l) => l.trim() && !/^(?:Encountered errors|For more on the Compose file format versions|You might be seeing this error because)/.test(l));
  // v1's schema refusal: "Unsupported config option for services.web: 'portz'".
  return last ? { service: /\bservices\.([^.:\s']+)/.exec(last)?.[1], reason: last.trim() } : undefined;
}
