// What Berth reads from a Dockerfile, as data: kept apart from the reader (dockerfile.ts, which
// brings dockerfile-ast and is a lazy bundle) so that the build model can use it without the parser.

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

/** The 0-based line of the classic builder's step: by its number when the keyword agrees, else by its text. */
export function lineOfStep(facts: DockerfileFacts, step: { index: number; text: string }): number | undefined {
  const keyword = step.text.trim().split(/\s+/)[0]?.toUpperCase();
  const byIndex = facts.instructions[step.index - 1];
  if (byIndex && byIndex.keyword === keyword) return byIndex.line;
  const wanted = step.text.replace(/\s+/g, ' ').trim().toLowerCase();
  return facts.instructions.find((i) => i.text.replace(/\s+/g, ' ').toLowerCase() === wanted)?.line;
}
