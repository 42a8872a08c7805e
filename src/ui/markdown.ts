// Text from the engine (names, commands, labels) put into MarkdownStrings so it renders as typed.
// Backslash escapes work only in plain text: inside a code span they show literally, so code
// spans get a fence instead (CommonMark 6.1). Both helpers are vscode-free and unit-tested.

/** A line break would end a list item or paragraph early: tooltips show these values on one line. */
const oneLine = (s: string) => s.replace(/\r\n?|\n/g, ' ');

/** Escapes plain text: every ASCII punctuation character may be backslash-escaped in CommonMark. */
export function escapeMarkdown(s: string): string {
  return oneLine(s).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * `s` as an inline code span: fenced by one more backtick than its longest backtick run, and
 * padded with a space where it starts or ends with a backtick (or the padding would be
 * stripped from the text itself). No escaping: a code span shows its content literally.
 */
export function codeSpan(s: string): string {
  const text = oneLine(s);
  if (!text) return '';
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^`|`$/.test(text) || (/^ .* $/.test(text) && /[^ ]/.test(text)) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
