// What Berth reads from a Dockerfile: build args, stages, and which line a failing step is on.
import { DockerfileParser } from 'dockerfile-ast';

export interface BuildArg {
  name: string;
  /** The default the Dockerfile gives, if any. */
  value?: string;
  /** 0-based line. */
  line: number;
}

export interface DockerfileFacts {
  args: BuildArg[];
  /** Named stages ("FROM x AS build"), in order: the possible targets. */
  stages: string[];
  /** Each instruction's keyword and 0-based line, in order: the classic builder's steps. */
  instructions: { keyword: string; line: number; text: string }[];
}

export function readDockerfile(text: string): DockerfileFacts {
  const df = DockerfileParser.parse(text);
  const args: BuildArg[] = [];
  const seen = new Set<string>();
  for (const arg of df.getARGs()) {
    const property = arg.getProperty();
    const name = property?.getName();
    if (!name || seen.has(name)) continue;
    seen.add(name);
    args.push({ name, value: property?.getValue() ?? undefined, line: arg.getRange().start.line });
  }
  const stages = df
    .getFROMs()
    .map((f) => f.getBuildStage())
    .filter((s): s is string => !!s);
  const lines = text.split(/\r?\n/);
  const instructions = df.getInstructions().map((i) => {
    const line = i.getRange().start.line;
    return { keyword: i.getKeyword().toUpperCase(), line, text: lines[line]?.trim() ?? '' };
  });
  return { args, stages, instructions };
}

/**
 * The 0-based line of the instruction a failing build step names. The classic builder numbers
 * every instruction ("Step 3/7 : COPY a b"); the keyword is checked so a mismatch falls back to
 * finding the instruction by its text.
 */
export function lineOfStep(facts: DockerfileFacts, step: { index: number; text: string }): number | undefined {
  const keyword = step.text.trim().split(/\s+/)[0]?.toUpperCase();
  const byIndex = facts.instructions[step.index - 1];
  if (byIndex && byIndex.keyword === keyword) return byIndex.line;
  const wanted = step.text.replace(/\s+/g, ' ').trim().toLowerCase();
  return facts.instructions.find((i) => i.text.replace(/\s+/g, ' ').toLowerCase() === wanted)?.line;
}
