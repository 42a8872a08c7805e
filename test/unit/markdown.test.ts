import { strict as assert } from 'assert';
import { codeSpan, escapeMarkdown } from '../../src/ui/markdown';

// A CommonMark renderer (a dependency of @vscode/l10n-dev) shows what a tooltip would display.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new () => { renderInline(src: string): string };
const md = new MarkdownIt();
const decode = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
/** The text a code span shows, or undefined when the markdown is not one single code span. */
const codeText = (src: string) => /^<code>([^]*)<\/code>$/.exec(md.renderInline(src))?.[1];

describe('markdown helpers', () => {
  it('puts text in a code span as typed, with no backslashes', () => {
    assert.equal(codeSpan('httpd -f -p 8080'), '`httpd -f -p 8080`');
    assert.equal(codeSpan('berth-test/busybox'), '`berth-test/busybox`');
    assert.equal(codeSpan(''), '');
    for (const text of ['httpd -f -p 8080', 'a_b*c[d](e)#f!<x>&amp;', 'C:\\path\\to', '$(zap) |x|']) assert.equal(decode(codeText(codeSpan(text)) ?? ''), text);
  });

  it('fences backticks with a longer run and pads where CommonMark would strip', () => {
    assert.equal(codeSpan('echo `date`'), '`` echo `date` ``');
    assert.equal(codeSpan('a``b'), '```a``b```');
    assert.equal(codeSpan(' a '), '`  a  `');
    for (const text of ['echo `date`', '`', '``', 'a``b', '```x', ' a ', ' ', 'x `y` z']) assert.equal(decode(codeText(codeSpan(text)) ?? '<none>'), text, JSON.stringify(text));
  });

  it('keeps a value on one line so it cannot end a list item or start a block', () => {
    assert.equal(codeSpan('a\nb'), '`a b`');
    assert.ok(!escapeMarkdown('a\n# b').includes('\n'));
  });

  it('escapes plain text so every character shows as typed', () => {
    for (const text of ['berth-test/busybox', '*not bold* _nor_ `code`', '[link](http://x) <b>&amp; ~~s~~ # h', '1. item', 'a\\b', 'http://example.com']) {
      const html = md.renderInline(escapeMarkdown(text));
      assert.ok(!/<(?!\/?p>)[a-z]/.test(html), `no markup from ${JSON.stringify(text)}: ${html}`);
      assert.equal(decode(html), text);
    }
  });
});
