// Which files, variables and name make a Compose project in a folder, found as Compose finds
// them, over a small fs interface (tests use temp folders; the VS Code side may pass
// workspace.fs).
import * as fsp from 'fs/promises';
import * as path from 'path';
import { parseComposeEnvFile } from './envFile';
import type { ComposeProblem } from './problems';

export interface ComposeFs {
  /** The file's text, or undefined when there is no such file. */
  readFile(file: string): Promise<string | undefined>;
  /** What is at the path, or undefined when nothing is. */
  stat(file: string): Promise<'file' | 'directory' | undefined>;
}

export const nodeComposeFs: ComposeFs = {
  async readFile(file) {
    try {
      return await fsp.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw err;
    }
  },
  async stat(file) {
    try {
      const s = await fsp.stat(file);
      return s.isDirectory() ? 'directory' : 'file';
    } catch {
      return undefined;
    }
  },
};

/** compose-go's DefaultFileNames, in its order of preference (.yml before .yaml for docker-compose). */
export const DEFAULT_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'] as const;
/** compose-go's DefaultOverrideFileNames: the first one present is added after the main file. */
export const DEFAULT_OVERRIDE_FILE_NAMES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'] as const;

export interface DiscoverInput {
  /** The project folder (absolute). */
  folder: string;
  /** The environment Berth runs with (process.env). */
  environment: Readonly<Record<string, string | undefined>>;
  /** Files the user added to this project, absolute or relative to the folder, after the others. */
  extraFiles?: readonly string[];
  fs?: ComposeFs;
}

export interface DiscoveredProject {
  folder: string;
  /** Absolute paths, in the order Compose merges them. */
  files: string[];
  /** The folder's .env when it exists: passed as --env-file and used for interpolation. */
  envFile?: string;
  /** .env's variables overlaid with the environment's (the environment wins, as in Compose). */
  variables: Map<string, string>;
  /** COMPOSE_PROFILES. */
  profiles: string[];
  /** COMPOSE_PROJECT_NAME, as set (checked once the files' `name:` is known). */
  explicitName?: string;
  problems: ComposeProblem[];
}

/**
 * Finds a folder's project. A deleted folder, or one without any compose file, is a problem in
 * the result rather than an exception; so are .env lines Compose could not read.
 */
export async function discoverProject(input: DiscoverInput): Promise<DiscoveredProject> {
  const fs = input.fs ?? nodeComposeFs;
  const folder = path.resolve(input.folder);
  const result: DiscoveredProject = { folder, files: [], variables: new Map(), profiles: [], problems: [] };
  if ((await fs.stat(folder)) !== 'directory') {
    result.problems.push({ code: 'folderMissing', params: { folder } });
    return result;
  }
  const env = (name: string) => input.environment[name];
  const envPath = path.join(folder, '.env');
  const envText = await fs.readFile(envPath);
  const dotenv = envText === undefined ? undefined : parseComposeEnvFile(envText, env);
  if (dotenv) {
    result.envFile = envPath;
    for (const p of dotenv.problems)
      result.problems.push({ code: 'envFileSyntax', params: { text: p.text }, file: envPath, start: { line: p.line, column: p.column } });
    for (const [k, v] of dotenv.vars) result.variables.set(k, v);
  }
  for (const [k, v] of Object.entries(input.environment)) if (v !== undefined) result.variables.set(k, v);
  const variable = (name: string) => result.variables.get(name);

  const composeFile = variable('COMPOSE_FILE');
  if (composeFile) {
    const sep = variable('COMPOSE_PATH_SEPARATOR') || (process.platform === 'win32' ? ';' : ':');
    result.files = composeFile
      .split(sep)
      .filter(Boolean)
      .map((f) => path.resolve(folder, f));
  } else {
    for (const names of [DEFAULT_FILE_NAMES, DEFAULT_OVERRIDE_FILE_NAMES]) {
      for (const name of names) {
        const p = path.join(folder, name);
        if ((await fs.stat(p)) === 'file') {
          result.files.push(p);
          break;
        }
      }
      // No main file: Compose would not take an override file alone.
      if (!result.files.length) break;
    }
  }
  for (const extra of input.extraFiles ?? []) {
    const p = path.resolve(folder, extra);
    if (!result.files.includes(p)) result.files.push(p);
  }
  if (!result.files.length) result.problems.push({ code: 'noComposeFile', params: { folder } });
  for (const f of result.files) if ((await fs.stat(f)) !== 'file') result.problems.push({ code: 'fileMissing', params: { file: f }, file: f });

  result.profiles = (variable('COMPOSE_PROFILES') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  result.explicitName = variable('COMPOSE_PROJECT_NAME') || undefined;
  return result;
}

/** compose-go's NormalizeProjectName: lowercase, only [a-z0-9_-], not starting with _ or -. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

const VALID_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * The project name as Compose picks it: COMPOSE_PROJECT_NAME, else the files' `name:`, both
 * taken as given and refused when invalid; else the folder's name, normalised. Never empty.
 */
export function projectName(folder: string, explicitName: string | undefined, fileName: string | undefined): { name: string } | ComposeProblem {
  for (const given of [explicitName, fileName]) {
    if (given === undefined || given === '') continue;
    if (!VALID_NAME.test(given)) return { code: 'projectNameInvalid', params: { name: given } };
    return { name: given };
  }
  const name = normalizeProjectName(path.basename(path.resolve(folder)));
  if (!name) return { code: 'projectNameEmpty', params: { folder } };
  return { name };
}
