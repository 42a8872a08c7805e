// What each Dockerfile line cost, matched from the build's own output (the image each step of the
// classic builder ended with, " ---> 1a2b3c4d5e6f", and " ---> Using cache") to the built image's
// history, never by comparing the history's text with the Dockerfile. The only text comparison is
// finding each built step in the Dockerfile as it is now, so the annotations follow edits that
// move lines, and a line edited since the build says so instead of showing a stale figure.
import type { HistoryEntry } from '../../contract/layers';
import type { BuiltStep } from '../buildOutput';
import type { DockerfileFacts } from '../dockerfileFacts';
import { keywordOf } from './history';

/** What Berth keeps of a build from the editor, per Dockerfile. */
export interface RecordedBuild {
  tag: string;
  /** The full id of the image the build made. */
  imageId: string;
  steps: BuiltStep[];
  /** Milliseconds since the epoch. */
  finishedAt: number;
}

export type LineCost =
  | { line: number; kind: 'layer'; size: number; cached: boolean }
  /** A metadata step (ENV, CMD…): no layer. */
  | { line: number; kind: 'noLayer'; cached: boolean }
  /** The final stage's FROM: the base image's size. */
  | { line: number; kind: 'base'; size: number; layers: number }
  /** A step of another stage: its layers are not in the final image. */
  | { line: number; kind: 'otherStage' }
  /** The step made an image that is not in the built image's history (should not happen). */
  | { line: number; kind: 'unmatched' }
  /** An instruction the build did not run as it reads now: edited or added since. */
  | { line: number; kind: 'notBuilt' };

function norm(s: string): string {
  return s.replace(/\\\s*$/, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Where each built step is in the Dockerfile as it is now (by its instruction's text, in order). */
function placeSteps(facts: DockerfileFacts, steps: BuiltStep[]): Map<number, BuiltStep> {
  const placed = new Map<number, BuiltStep>();
  let from = 0;
  for (const step of steps) {
    const text = norm(step.text);
    for (let i = from; i < facts.instructions.length; i++) {
      const first = norm(facts.instructions[i].text);
      if (first && (text === first || text.startsWith(first))) {
        placed.set(i, step);
        from = i + 1;
        break;
      }
    }
  }
  return placed;
}

export function lineCosts(facts: DockerfileFacts, build: RecordedBuild, history: HistoryEntry[]): LineCost[] {
  const byShortId = new Map(history.map((h, i) => [h.id.replace(/^sha256:/, '').slice(0, 12), i]));
  const lastFrom = build.steps.map((s) => keywordOf(s.text)).lastIndexOf('FROM');
  const placed = placeSteps(facts, build.steps);
  const costs: LineCost[] = [];
  facts.instructions.forEach((ins, i) => {
    const step = placed.get(i);
    if (!step) {
      costs.push({ line: ins.line, kind: 'notBuilt' });
      return;
    }
    if (!step.imageId) {
      // A global ARG before the first FROM makes no image.
      costs.push({ line: ins.line, kind: 'noLayer', cached: step.cached });
      return;
    }
    const at = byShortId.get(step.imageId);
    const keyword = keywordOf(step.text);
    const finalStage = build.steps.indexOf(step) >= lastFrom;
    // Another stage's lines are in the final image only when the final stage builds on that stage.
    if (at === undefined || (!finalStage && keyword === 'FROM')) {
      costs.push({ line: ins.line, kind: finalStage ? 'unmatched' : 'otherStage' });
      return;
    }
    if (keyword === 'FROM') {
      // The history is newest first: the base image is this entry and everything older.
      const below = history.slice(at);
      costs.push({ line: ins.line, kind: 'base', size: below.reduce((n, h) => n + h.size, 0), layers: below.filter((h) => h.size > 0).length });
      return;
    }
    const makesLayer = ['RUN', 'COPY', 'ADD'].includes(keyword);
    costs.push(makesLayer ? { line: ins.line, kind: 'layer', size: history[at].size, cached: step.cached } : { line: ins.line, kind: 'noLayer', cached: step.cached });
  });
  return costs;
}
