// What the editor shows while a Dockerfile is typed: BuildKit's build checks (same names, same
// conditions where Berth can know them), the stages as an outline, where a stage or a variable is
// defined, and what may follow FROM. Pure: the caller says what .dockerignore drops and what a
// base image's environment holds. Part of dist/dockerfile.js (with dockerfile-ast).
import { DefaultVariables, DockerfileParser } from 'dockerfile-ast';
import type { Dockerfile, From, Instruction } from 'dockerfile-ast';

export interface Pos {
  line: number;
  character: number;
}
export interface Span {
  start: Pos;
  end: Pos;
}
export interface TextEdit {
  range: Span;
  newText: string;
}

/** BuildKit's check names (docs.docker.com/reference/build-checks) for the checks Berth runs. */
export type CheckName =
  | 'UndefinedVar'
  | 'UndefinedArgInFrom'
  | 'JSONArgsRecommended'
  | 'StageNameCasing'
  | 'FromAsCasing'
  | 'SecretsUsedInArgOrEnv'
  | 'ExposeInvalidFormat'
  | 'WorkdirRelativePath'
  | 'CopyIgnoredFile'
  | 'DuplicateStageName'
  | 'ReservedStageName'
  | 'MaintainerDeprecated';

export interface CheckResult {
  name: CheckName;
  /** What to show: arguments for the caller's translated message (see checkMessage in the UI). */
  args: string[];
  range: Span;
  /** A fix that is certain, as edits of this document. */
  fix?: TextEdit[];
}

export interface CheckOptions {
  /** Whether the context's .dockerignore drops this context-relative path; absent: not checked. */
  ignored?: (path: string) => boolean;
  /** The environment names an image (not a stage) gives; undefined when unknown (UndefinedVar then stays silent for that stage). */
  imageEnv?: (image: string) => string[] | undefined;
}

/** Names BuildKit flags in SecretsUsedInArgOrEnv (its secretsRegex and allow list). */
const SECRET = /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;
const SECRET_ALLOWED = /(?:_|^)(?:public)(?:_|$)/i;
/** Instructions whose arguments the builder expands (not RUN, CMD, ENTRYPOINT: their shell does). */
const EXPANDED = new Set(['ADD', 'COPY', 'ENV', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR', 'ONBUILD', 'ARG']);
/** Arguments BuildKit defines without an ARG (the proxies) or always (none else need no ARG). */
const PREDEFINED = new Set(DefaultVariables);

function stagesOf(df: Dockerfile): { from: From; instructions: Instruction[] }[] {
  const stages: { from: From; instructions: Instruction[] }[] = [];
  for (const i of df.getInstructions()) {
    if (i.getKeyword() === 'FROM') stages.push({ from: i as From, instructions: [] });
    else stages.at(-1)?.instructions.push(i);
  }
  return stages;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = keep;
    }
  }
  return row[b.length];
}

/** BuildKit's "did you mean": a case-insensitive match first, else the closest within distance 2. */
function suggest(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    if (k.toLowerCase() === name.toLowerCase()) return k;
    const d = levenshtein(name, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** A shell-form command whose JSON form is certain: plain words only, no quoting, expansion or operators. */
function jsonForm(args: string): string | undefined {
  const words = args.trim().split(/\s+/);
  if (!words[0] || words.some((w) => /["'`$\\|&;<>(){}*?[\]~#!]/.test(w))) return undefined;
  return `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;
}

function keywordCase(word: string): 'upper' | 'lower' | 'mixed' {
  return word === word.toUpperCase() ? 'upper' : word === word.toLowerCase() ? 'lower' : 'mixed';
}

function stageNameRefs(df: Dockerfile): { name: string; range: Span }[] {
  const refs: { name: string; range: Span }[] = [];
  for (const i of df.getInstructions()) {
    const keyword = i.getKeyword();
    if (keyword === 'FROM') {
      const from = i as From;
      const range = from.getImageNameRange();
      const name = from.getImageName();
      if (range && name && !from.getImageTag() && !from.getImageDigest()) refs.push({ name, range });
    } else if (keyword === 'COPY' || keyword === 'RUN') {
      for (const flag of (i as unknown as { getFlags(): import('dockerfile-ast').Flag[] }).getFlags()) {
        if (flag.getName() === 'from' && flag.getValue() && flag.getValueRange()) refs.push({ name: flag.getValue()!, range: flag.getValueRange()! });
        if (flag.getName() === 'mount') {
          const from = flag.getOption('from');
          if (from?.getValue() && from.getValueRange()) refs.push({ name: from.getValue()!, range: from.getValueRange()! });
        }
      }
    }
  }
  return refs;
}

export function checkDockerfile(text: string, options: CheckOptions = {}): CheckResult[] {
  const df = DockerfileParser.parse(text);
  const out: CheckResult[] = [];
  const stages = stagesOf(df);
  const stageNames = new Map<string, number>();
  const globalArgs = new Set(df.getInitialARGs().map((a) => a.getProperty()?.getName()).filter((n): n is string => !!n));
  /** Environment each stage ends with, for stages built FROM an earlier one; undefined when unknown. */
  const stageEnv: (Set<string> | undefined)[] = [];
  const refsByName = stageNameRefs(df);

  for (const [index, { from, instructions }] of stages.entries()) {
    const fromArgs = from.getArguments();
    // FROM image AS name: the casing of AS follows FROM's.
    if (fromArgs.length >= 3 && fromArgs[1].getValue().toLowerCase() === 'as') {
      const fromCase = keywordCase(from.getInstruction());
      const asWord = fromArgs[1].getValue();
      if (fromCase !== 'mixed' && keywordCase(asWord) !== fromCase) {
        out.push({ name: 'FromAsCasing', args: [asWord, from.getInstruction()], range: fromArgs[1].getRange(), fix: [{ range: fromArgs[1].getRange(), newText: fromCase === 'upper' ? 'AS' : 'as' }] });
      }
    }
    const stage = from.getBuildStage();
    const stageRange = from.getBuildStageRange();
    if (stage && stageRange) {
      if (stage !== stage.toLowerCase()) {
        const fix = refsByName.filter((r) => r.name.toLowerCase() === stage.toLowerCase()).map((r) => ({ range: r.range, newText: r.name.toLowerCase() }));
        out.push({ name: 'StageNameCasing', args: [stage], range: stageRange, fix: [{ range: stageRange, newText: stage.toLowerCase() }, ...fix] });
      }
      if (stage.toLowerCase() === 'scratch' || stage.toLowerCase() === 'context') out.push({ name: 'ReservedStageName', args: [stage.toLowerCase()], range: stageRange });
      else if (stageNames.has(stage.toLowerCase())) out.push({ name: 'DuplicateStageName', args: [stage], range: stageRange });
      else stageNames.set(stage.toLowerCase(), index);
    }
    // FROM may use only the ARGs declared before the first FROM.
    for (const v of from.getVariables()) {
      if (!globalArgs.has(v.getName()) && !PREDEFINED.has(v.getName()) && !v.getModifier()) {
        out.push({ name: 'UndefinedArgInFrom', args: [v.getName(), suggest(v.getName(), globalArgs) ?? ''], range: v.getNameRange() });
      }
    }

    // What the stage starts with: a stage's environment, an image's, or scratch's (none).
    const image = from.getImage() ?? '';
    const parent = stageNames.get(image.toLowerCase());
    const imageEnv = !image || from.getVariables().length ? undefined : options.imageEnv?.(image);
    const inherited = image.toLowerCase() === 'scratch' ? new Set<string>() : parent !== undefined && parent < index ? stageEnv[parent] : imageEnv ? new Set(imageEnv) : undefined;
    const env = inherited ? new Set(inherited) : undefined;
    const args = new Set<string>();
    let workdirSeen = false;

    for (const i of instructions) {
      const keyword = i.getKeyword();
      if (EXPANDED.has(keyword) && env) {
        for (const v of i.getVariables()) {
          const name = v.getName();
          if (v.getModifier() || env.has(name) || args.has(name) || PREDEFINED.has(name)) continue;
          out.push({ name: 'UndefinedVar', args: [name, suggest(name, [...env, ...args]) ?? ''], range: v.getNameRange() });
        }
      }
      if (keyword === 'ARG' || keyword === 'ENV') {
        const properties = (i as unknown as { getProperties(): import('dockerfile-ast').Property[] }).getProperties();
        for (const p of properties) {
          const name = p.getName();
          if (!name) continue;
          if (SECRET.test(name) && !SECRET_ALLOWED.test(name)) out.push({ name: 'SecretsUsedInArgOrEnv', args: [keyword, name], range: p.getNameRange() });
          if (keyword === 'ARG') args.add(name);
          else env?.add(name);
        }
      } else if (keyword === 'CMD' || keyword === 'ENTRYPOINT') {
        const raw = i.getRawArgumentsContent();
        const range = i.getArgumentsRange();
        if (raw && range && !raw.trimStart().startsWith('[')) {
          const json = jsonForm(raw);
          out.push({ name: 'JSONArgsRecommended', args: [keyword], range, fix: json ? [{ range, newText: json }] : undefined });
        }
      } else if (keyword === 'EXPOSE') {
        for (const a of i.getArguments()) if (a.getValue().includes(':')) out.push({ name: 'ExposeInvalidFormat', args: [a.getValue()], range: a.getRange() });
      } else if (keyword === 'WORKDIR') {
        const path = i.getArgumentsContent()?.trim();
        const range = i.getArgumentsRange();
        if (path && range && !workdirSeen && !path.startsWith('/') && !path.startsWith('$')) out.push({ name: 'WorkdirRelativePath', args: [path], range });
        workdirSeen = true;
      } else if (keyword === 'MAINTAINER') {
        out.push({ name: 'MaintainerDeprecated', args: [], range: i.getInstructionRange() });
      } else if ((keyword === 'COPY' || keyword === 'ADD') && options.ignored) {
        const flags = (i as unknown as { getFlags(): import('dockerfile-ast').Flag[] }).getFlags();
        if (flags.some((f) => f.getName() === 'from')) continue;
        const sources = i.getArguments().slice(0, -1);
        for (const s of sources) {
          const value = s.getValue();
          if (/^[a-z]+:\/\//i.test(value) || value.startsWith('<<') || /[$*?[]/.test(value)) continue;
          const path = value.replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
          if (path && path !== '.' && options.ignored(path)) out.push({ name: 'CopyIgnoredFile', args: [keyword === 'COPY' ? 'Copy' : 'Add', value], range: s.getRange() });
        }
      }
    }
    stageEnv[index] = env;
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

export interface StageSymbol {
  /** The stage's name, or its image when unnamed. */
  name: string;
  image: string;
  /** From its FROM to the line before the next FROM. */
  range: Span;
  selection: Span;
  /** ARG and ENV names the stage declares. */
  variables: { name: string; keyword: 'ARG' | 'ENV'; range: Span }[];
}

export function dockerfileStages(text: string): StageSymbol[] {
  const df = DockerfileParser.parse(text);
  const stages = stagesOf(df);
  return stages.map(({ from, instructions }, i) => {
    const next = stages[i + 1]?.from.getRange().start.line;
    const last = instructions.at(-1)?.getRange().end ?? from.getRange().end;
    const end = next !== undefined ? { line: Math.max(from.getRange().start.line, next - 1), character: 0 } : last;
    const variables: StageSymbol['variables'] = [];
    for (const ins of instructions) {
      const keyword = ins.getKeyword();
      if (keyword !== 'ARG' && keyword !== 'ENV') continue;
      for (const p of (ins as unknown as { getProperties(): import('dockerfile-ast').Property[] }).getProperties()) if (p.getName()) variables.push({ name: p.getName(), keyword, range: p.getNameRange() });
    }
    return {
      name: from.getBuildStage() ?? from.getImage() ?? 'FROM',
      image: from.getImage() ?? '',
      range: { start: from.getRange().start, end },
      selection: from.getBuildStageRange() ?? from.getImageRange() ?? from.getRange(),
      variables,
    };
  });
}

function inside(range: Span, p: Pos): boolean {
  const after = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const before = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return after && before;
}

/** Where the stage or variable at the position is defined: a stage's AS name, or the ARG/ENV that declared it last before. */
export function dockerfileDefinition(text: string, at: Pos): Span | undefined {
  const df = DockerfileParser.parse(text);
  const ref = stageNameRefs(df).find((r) => inside(r.range, at));
  if (ref) {
    const from = df.getFROMs().find((f) => f.getBuildStage()?.toLowerCase() === ref.name.toLowerCase() && f.getRange().start.line < ref.range.start.line);
    if (from) return from.getBuildStageRange() ?? undefined;
  }
  const instruction = df.getInstructions().find((i) => i.getRange().start.line <= at.line && i.getRange().end.line >= at.line);
  const variable = instruction?.getVariables().find((v) => inside(v.getNameRange(), at));
  if (!instruction || !variable) return undefined;
  const name = variable.getName();
  const isFrom = instruction.getKeyword() === 'FROM';
  const declarations = (isFrom ? df.getInitialARGs() : df.getInstructions())
    .filter((i) => (i.getKeyword() === 'ARG' || i.getKeyword() === 'ENV') && i.getRange().start.line < instruction.getRange().start.line)
    .flatMap((i) => (i as unknown as { getProperties(): import('dockerfile-ast').Property[] }).getProperties())
    .filter((p) => p.getName() === name);
  return declarations.at(-1)?.getNameRange();
}

/** Whether the position is where FROM's image goes (after FROM and its flags, before AS), with the word typed so far. */
export function fromImageAt(text: string, at: Pos): { typed: Span; stages: string[] } | undefined {
  const line = text.split(/\r?\n/)[at.line] ?? '';
  const m = /^(\s*from\s+(?:--\S+\s+)*)(\S*)$/i.exec(line.slice(0, at.character));
  if (!m) return undefined;
  const df = DockerfileParser.parse(text);
  const stages = df
    .getFROMs()
    .filter((f) => f.getRange().start.line < at.line)
    .map((f) => f.getBuildStage())
    .filter((s): s is string => !!s);
  return { typed: { start: { line: at.line, character: m[1].length }, end: at }, stages };
}
