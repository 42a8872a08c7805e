// Docker's .dockerignore, read and matched exactly as the docker CLI does: shared by the build
// context (buildContext.ts) and the Dockerfile checks in the editor (CopyIgnoredFile).
import createIgnore from '@balena/dockerignore';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Docker's ignore-file reading (moby's ignorefile.ReadAll), line by line: a BOM dropped from the
 * first line; a line is a comment only when '#' is its very first character (checked before
 * spaces are trimmed, so " #x" is a pattern); blank lines skipped; '!' then spaces; the pattern
 * cleaned like filepath.Clean, a leading '/' dropped. Backslashes are separators only on Windows;
 * elsewhere they escape, as in Docker.
 */
export function parseIgnoreFile(text: string, platform: NodeJS.Platform = process.platform): string[] {
  const out: string[] = [];
  for (const raw of text.replace(/^\uFEFF/, '').split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (!pattern) continue;
    const negated = pattern.startsWith('!');
    if (negated) pattern = pattern.slice(1).trim();
    if (pattern) {
      if (platform === 'win32') pattern = pattern.replace(/\\/g, '/');
      pattern = path.posix.normalize(pattern).replace(/(.)\/+$/, '$1');
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    pattern = negated ? `!${pattern}` : pattern;
    // "." and a bare "!" match nothing useful and would confuse the matcher.
    if (pattern && pattern !== '!' && pattern !== '.') out.push(pattern);
  }
  return out;
}

/** Docker's matcher for the patterns parseIgnoreFile read: whether a context-relative path is left out. */
export function ignoreMatcher(patterns: string[]): { ignores(path: string): boolean } {
  // The matcher drops any rule starting with '#' as a comment, though the reader above already
  // took comments out: "#x" (from " #x") is a pattern to it as to Docker. "/#x" means the same to
  // Docker (a leading '/' is dropped) and gets past the matcher's check.
  return createIgnore().add(patterns.map((p) => (p.startsWith('#') ? `/${p}` : p)));
}

/** The ignore file Docker would use: "<Dockerfile>.dockerignore" beside it wins over the context's. */
export function ignoreFileFor(contextDir: string, dockerfile: string): string | undefined {
  const specific = `${dockerfile}.dockerignore`;
  if (fs.existsSync(specific)) return specific;
  const general = path.join(contextDir, '.dockerignore');
  return fs.existsSync(general) ? general : undefined;
}
