// Reads the engine's build stream. The engine answers HTTP 200 and reports a failure inside the
// stream (error / errorDetail), so success is decided here, never by the request.

import type { BuildMessage } from '../contract/build';

export interface BuildStep {
  index: number;
  total: number;
  /** The instruction as the builder prints it: "COPY a /b". */
  text: string;
}

export type SegmentKind = 'step' | 'output' | 'status' | 'error';

export interface Segment {
  kind: SegmentKind;
  text: string;
}

const STEP = /^Step (\d+)\/(\d+) : (.*)$/;
/** The classic builder's " ---> 1a2b3c4d5e6f" (the image a step made) and " ---> Using cache". */
const STEP_IMAGE = /^ ---> ([0-9a-f]{12})$/;
const USING_CACHE = /^ ---> Using cache$/;

/** What one step of the classic builder made, for matching it to the image's history. */
export interface BuiltStep extends BuildStep {
  /** The short id of the image the step ended with. */
  imageId?: string;
  cached: boolean;
}

export class BuildLog {
  step: BuildStep | undefined;
  /** Set when the stream reported a failure; the step is the one running then. */
  failure: { message: string; step?: BuildStep } | undefined;
  imageId: string | undefined;
  /** Every step seen, with the image it made. */
  readonly steps: BuiltStep[] = [];
  private afterStep = false;

  push(m: BuildMessage): Segment[] {
    const afterStep = this.afterStep;
    this.afterStep = false;
    if (m.error || m.errorDetail) {
      const message = (m.errorDetail?.message || m.error || 'the build failed').trim();
      this.failure = { message, step: this.step };
      return [{ kind: 'error', text: `${message}\n` }];
    }
    if (m.aux?.ID) this.imageId = m.aux.ID;
    if (m.stream !== undefined) {
      // The builder sends a step header and its newline as two messages.
      if (afterStep && m.stream === '\n') return [];
      const out: Segment[] = [];
      for (const line of m.stream.split(/(?<=\n)/)) {
        const match = STEP.exec(line.trimEnd());
        if (match) {
          this.step = { index: Number(match[1]), total: Number(match[2]), text: match[3] };
          this.steps.push({ ...this.step, cached: false });
          out.push({ kind: 'step', text: line.endsWith('\n') ? line : `${line}\n` });
          this.afterStep = !line.endsWith('\n');
        } else if (line) {
          const current = this.steps[this.steps.length - 1];
          const trimmed = line.trimEnd();
          if (current && USING_CACHE.test(trimmed)) current.cached = true;
          const id = STEP_IMAGE.exec(trimmed)?.[1];
          if (current && id) current.imageId = id;
          out.push({ kind: 'output', text: line });
        }
      }
      return out;
    }
    if (m.status) return [{ kind: 'status', text: `${[m.id, m.status, m.progress].filter(Boolean).join(' ')}\n` }];
    return [];
  }
}

/** "Dockerfile parse error line 3: unknown instruction: FOO" -> 2 (0-based). */
export function lineFromParseError(message: string): number | undefined {
  const m = /(?:parse error (?:on )?line|line) (\d+):/i.exec(message);
  return m ? Number(m[1]) - 1 : undefined;
}
