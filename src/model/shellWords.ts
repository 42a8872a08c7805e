// Splits a command line into argv the way a POSIX shell reads words, without ever running a shell:
// ' … ' keeps everything literally, " … " keeps everything but \ before $ ` " \ or a newline, and
// an unquoted \ keeps the next character. Operators (| & ; < > ( ) `) are refused rather than
// passed on as words, since no shell would be there to act on them; $ is passed as typed (the
// container's own shell, if any, expands it).
//
// Written here rather than taken from shell-quote, which silently closes an unterminated quote
// ("sh -c \"echo hi" became five words) and has no way to report it; this is about fifty lines,
// needs no dependency, and returns a problem code the UI can put into words.

export type ShellWordsProblem = { problem: 'unterminatedQuote'; quote: 'single' | 'double' } | { problem: 'operator'; op: string };

const OPERATORS = new Set(['|', '&', ';', '<', '>', '(', ')', '`']);
const DOUBLE_ESCAPES = new Set(['$', '`', '"', '\\', '\n']);
const BLANK = /[ \t\n]/;

export function shellWords(text: string): string[] | ShellWordsProblem {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { problem: 'unterminatedQuote', quote: 'single' };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && DOUBLE_ESCAPES.has(text[j + 1])) {
          j++;
          if (text[j] !== '\n') word += text[j];
        } else word += text[j];
      }
      if (j >= text.length) return { problem: 'unterminatedQuote', quote: 'double' };
      inWord = true;
      i = j;
    } else if (c === '\\') {
      // A backslash at the very end keeps itself, as sh does; before a newline it joins lines.
      if (i + 1 >= text.length) word += c;
      else if (text[i + 1] !== '\n') word += text[i + 1];
      inWord = true;
      i++;
    } else if (BLANK.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (OPERATORS.has(c)) {
      const two = text.slice(i, i + 2);
      return { problem: 'operator', op: ['||', '&&', ';;', '>>', '<<', '>&', '<&', '>|'].includes(two) ? two : c };
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
