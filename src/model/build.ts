// One build from a Dockerfile: plan the context, stream it counted, read the engine's stream, and
// decide the outcome from what the stream said. vscode-free, so engine tests and the benchmark
// run exactly what the command runs.
import * as fs from 'fs';
import { Transform } from 'stream';
import type { BuildRequest, EngineClient } from '../contract/client';
import type { EngineFailure } from '../contract/errors';
import { packContext, planContext, type ContextPlan } from './buildContext';
import { BuildLog, lineFromParseError, type BuildStep, type BuiltStep, type Segment } from './buildOutput';
import { lineOfStep, type DockerfileFacts } from './dockerfileFacts';

/** What a build needs: the engine request's options, with the context as a folder to pack. */
export type BuildInput = Omit<BuildRequest, 'context' | 'dockerfile' | 'signal'> & {
  contextDir: string;
  /** The Dockerfile's path on disk. */
  dockerfile: string;
  /** Its text when the caller has read it already (for its ARGs and stages): read once, not again here. */
  dockerfileText?: string;
  /** What the caller read from it (src/model/dockerfile.ts, a lazy bundle): places a failing step on its line. */
  dockerfileFacts?: DockerfileFacts;
};

/** Where a failure is pinned in the Dockerfile: 0-based line, its instruction's first and past-last column. */
export interface DockerfileRange {
  line: number;
  start: number;
  end: number;
}

export interface BuildFailure {
  /** The engine's words (empty for noResult). */
  message: string;
  /** Set when the engine did not fail the build itself: the connection went, or the stream stopped short. */
  kind?: 'lost' | 'noResult';
  step?: BuildStep;
  /** 0-based Dockerfile line of the failing instruction, when known. */
  line?: number;
  /** That line's instruction, for the Problems panel. */
  range?: DockerfileRange;
}

export interface BuildOutcome {
  imageId?: string;
  /** The classic builder's steps with the image each made (empty with BuildKit). */
  steps: BuiltStep[];
  failure?: BuildFailure;
  bytesSent: number;
  plan: ContextPlan;
}

export interface BuildHooks {
  onPlan?(plan: ContextPlan): void;
  onSegment?(segment: Segment): void;
}


export async function runBuild(client: EngineClient, input: BuildInput, hooks: BuildHooks = {}, signal?: AbortSignal): Promise<BuildOutcome> {
  const plan = await planContext(input.contextDir, input.dockerfile);
  hooks.onPlan?.(plan);
  let bytesSent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytesSent += chunk.length;
      done(null, chunk);
    },
  });
  const tar = packContext(plan);
  tar.on('error', (err) => counter.destroy(err));
  const log = new BuildLog();
  let failure: BuildFailure | undefined;
  try {
    await client.build(
      {
        context: tar.pipe(counter),
        dockerfile: plan.dockerfileName,
        tag: input.tag,
        buildArgs: input.buildArgs,
        target: input.target,
        noCache: input.noCache,
        pull: input.pull,
        labels: input.labels,
        signal,
      },
      (m) => {
        for (const seg of log.push(m)) hooks.onSegment?.(seg);
      },
    );
    if (log.failure) failure = { ...log.failure };
    else if (!log.imageId) failure = { message: '', kind: 'noResult', step: log.step };
  } catch (err) {
    if ((err as Error).name === 'AbortError' || signal?.aborted) throw err;
    // A Dockerfile the engine cannot parse is refused with an HTTP error, not inside the stream.
    const message = (err as Error).message;
    // The engine dying mid-stream ends the response with Node's bare "aborted" (ECONNRESET): the
    // engine layer's code says it was the connection, whatever the words.
    const code = (err as Partial<EngineFailure>).code;
    const lost = code === 'refused' || code === 'no-socket' || /socket hang up|ECONNRESET|EPIPE|ECONNREFUSED|ENOENT|^aborted$/i.test(message);
    failure = { message, kind: lost ? 'lost' : undefined, step: log.step };
    hooks.onSegment?.({ kind: 'error', text: `${failure.message}\n` });
  } finally {
    tar.destroy();
  }
  // A lost connection is no instruction's fault: only the engine's own failures get a line.
  if (failure && !failure.kind) pinFailure(failure, input);
  return { imageId: failure ? undefined : log.imageId, steps: log.steps, failure, bytesSent, plan };
}

function readText(input: BuildInput): string | undefined {
  try {
    return input.dockerfileText ?? fs.readFileSync(input.dockerfile, 'utf8');
  } catch {
    return undefined;
  }
}

/** Sets the failing instruction's line and range, from the engine's words or the step it names. */
function pinFailure(failure: BuildFailure, input: BuildInput): void {
  const text = readText(input);
  const line = lineFromParseError(failure.message) ?? (failure.step && input.dockerfileFacts ? lineOfStep(input.dockerfileFacts, failure.step) : undefined);
  if (line === undefined) return;
  failure.line = line;
  const content = text?.split(/\r?\n/)[line] ?? '';
  const start = content.length - content.trimStart().length;
  failure.range = { line, start, end: Math.max(content.length, start + 1) };
}
