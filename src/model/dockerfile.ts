// What Berth reads from a Dockerfile: build args, stages, and which line a failing step is on.
import { DockerfileParser } from 'dockerfile-ast';
import type { BuildArg, DockerfileFacts } from './dockerfileFacts';

export type { BuildArg, DockerfileFacts } from './dockerfileFacts';
export { lineOfStep } from './dockerfileFacts';

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
export * from './dockerfileLanguage';
