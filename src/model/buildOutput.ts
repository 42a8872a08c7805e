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

export class BuildLog {
  step: BuildStep | undefined;
  /** Set when the stream reported a failure; the step is the one running then. */
  failure: { message: string; step?: BuildStep } | undefined;
  imageId: string | undefined;
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
          out.push({ kind: 'step', text: line.endsWith('\n') ? line : `${line}\n` });
          this.afterStep = !line.endsWith('\n');
        } else if (line) out.push({ kind: 'output', text: line });
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
