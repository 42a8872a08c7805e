// How VS Code hands a command its arguments, read in one place. vscode-free, so each shape is
// unit-tested: a row's context menu passes (clicked, selected[]), an inline button or a row's
// click passes (clicked[, options]), a view's title bar passes the *focused* row (a trap for any
// command that is not about rows), the palette passes nothing, and scripts pass what they like.

/** A script's options: a plain object (never a row, which is a string, nor a Uri or an array). */
export function optionsArgument(args: readonly unknown[]): Record<string, unknown> | undefined {
  for (const a of args) {
    if (!a || typeof a !== 'object' || Array.isArray(a)) continue;
    const proto = Object.getPrototypeOf(a);
    if (proto === Object.prototype || proto === null) return a as Record<string, unknown>;
  }
  return undefined;
}

/**
 * The row keys a target command was run on: the selection when VS Code passes one, else the
 * clicked row, else none (the palette, or a title bar: the command asks with a picker).
 */
export function targetKeys(args: readonly unknown[]): string[] {
  const [clicked, selected] = args;
  if (Array.isArray(selected) && selected.length && selected.every((s) => typeof s === 'string')) return selected as string[];
  return typeof clicked === 'string' && clicked ? [clicked] : [];
}

/** The records keys stand for, without duplicates (a repository row and one of its tags). */
export function recordsOf<R>(keys: readonly string[], rows: (key: string) => readonly R[], identity: (r: R) => string): R[] {
  const out = new Map<string, R>();
  for (const k of keys) for (const r of rows(k)) out.set(identity(r), r);
  return [...out.values()];
}
