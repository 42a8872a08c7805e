import { strict as assert } from 'assert';
import { checkName, parseCommand, parseEnv, parseEnvFile, parseMount, parseRestart, portsForNetwork, suggestName } from '../../src/model/runSpec';
import { shellWords } from '../../src/model/shellWords';

describe('run inputs', () => {
  it('checks container names like the engine, and suggests a free one', () => {
    const taken = new Set(['web', 'web-2']);
    assert.equal(checkName('', taken), undefined, 'empty lets the engine choose');
    assert.equal(checkName('api_1.v2-x', taken), undefined);
    assert.deepEqual(checkName('-bad', taken), { problem: 'nameSyntax', part: '-bad' });
    assert.deepEqual(checkName('a', taken), { problem: 'nameSyntax', part: 'a' });
    assert.deepEqual(checkName('my app', taken), { problem: 'nameSyntax', part: 'my app' });
    assert.deepEqual(checkName('web', taken), { problem: 'nameTaken', part: 'web' });
    assert.equal(suggestName('web', taken), 'web-3');
    assert.equal(suggestName('berth-test/busybox', new Set()), 'berth-test-busybox');
  });

  it('reads env lines and files, and names a line without =', () => {
    assert.deepEqual(parseEnv('# comment\nA=1\n\nB = two words\nEMPTY=\n'), ['A=1', 'B= two words', 'EMPTY=']);
    assert.deepEqual(parseEnv('A=1\nOOPS\n'), { problem: 'envNoEquals', part: 'OOPS', line: 2 });
    assert.deepEqual(parseEnv('=x'), { problem: 'envEmptyKey', part: '=x', line: 1 });
  });

  it('reads -v mounts: named volumes, absolute and relative binds, read-only', () => {
    assert.deepEqual(parseMount('data:/var/lib/data', '/ws'), { type: 'volume', source: 'data', target: '/var/lib/data', readOnly: false });
    assert.deepEqual(parseMount('./conf:/etc/app:ro', '/ws'), { type: 'bind', source: '/ws/conf', target: '/etc/app', readOnly: true });
    assert.deepEqual(parseMount('/srv:/srv', '/ws'), { type: 'bind', source: '/srv', target: '/srv', readOnly: false });
    assert.deepEqual(parseMount('data', '/ws'), { problem: 'mountSyntax', part: 'data' });
    assert.deepEqual(parseMount('/data', '/ws'), { type: 'volume', source: '', target: '/data', readOnly: false }, 'a container path alone: an anonymous volume, as docker run -v /data');
    assert.deepEqual(parseMount(' /var/lib/x ', '/ws'), { type: 'volume', source: '', target: '/var/lib/x', readOnly: false });
    assert.deepEqual(parseMount('data:relative', '/ws'), { problem: 'mountTarget', part: 'relative' });
    assert.deepEqual(parseMount('data:/x:rx', '/ws'), { problem: 'mountOption', part: 'rx' });
  });

  it('reads restart policies', () => {
    assert.deepEqual(parseRestart(''), { name: 'no', maximumRetryCount: undefined });
    assert.deepEqual(parseRestart('on-failure:3'), { name: 'on-failure', maximumRetryCount: 3 });
    assert.deepEqual(parseRestart('always:3'), { problem: 'restart', part: 'always:3' });
    assert.deepEqual(parseRestart('sometimes'), { problem: 'restart', part: 'sometimes' });
  });

  it('splits a command like a shell without ever running one', () => {
    assert.equal(parseCommand('  '), undefined);
    assert.deepEqual(parseCommand(`sh -c 'echo "hi there"'`), ['sh', '-c', 'echo "hi there"']);
    assert.deepEqual(parseCommand('echo $HOME'), ['echo', '$HOME'], 'variables are left to the container');
    assert.deepEqual(parseCommand('ls | wc'), { problem: 'command', part: '|' });
    assert.deepEqual(parseCommand('a && b'), { problem: 'command', part: '&&' });
  });

  it('refuses an unterminated quote instead of splitting the words anyway', () => {
    assert.deepEqual(parseCommand('sh -c "echo hello world'), { problem: 'commandQuote', part: 'double' });
    assert.deepEqual(parseCommand("sh -c 'echo hello world"), { problem: 'commandQuote', part: 'single' });
    assert.deepEqual(parseCommand('sh -c "echo \\"'), { problem: 'commandQuote', part: 'double' }, 'an escaped quote does not close');
    assert.deepEqual(parseCommand('sh -c "echo hello world"'), ['sh', '-c', 'echo hello world']);
  });
});

describe('shell words (POSIX quoting, no shell)', () => {
  it('reads single quotes literally, backslashes inside them included', () => {
    assert.deepEqual(shellWords(`echo 'a \\ "b" $c'`), ['echo', 'a \\ "b" $c']);
    assert.deepEqual(shellWords(`'it'\\''s'`), ["it's"], "the usual way to put ' in single quotes");
  });

  it('reads double quotes with \\ escaping only $ ` " \\ and newline', () => {
    assert.deepEqual(shellWords('"a\\"b" "c\\d" "e\\$f" "g\\\\h"'), ['a"b', 'c\\d', 'e$f', 'g\\h']);
    assert.deepEqual(shellWords('"line\\\none"'), ['lineone'], 'backslash-newline joins lines');
  });

  it('keeps the next character after an unquoted backslash, and empty quotes as an empty word', () => {
    assert.deepEqual(shellWords('a\\ b c\\|d'), ['a b', 'c|d']);
    assert.deepEqual(shellWords(`echo '' ""`), ['echo', '', '']);
    assert.deepEqual(shellWords('a\\'), ['a\\'], 'a trailing backslash stays, as in sh');
    assert.deepEqual(shellWords('  a\tb\n c  '), ['a', 'b', 'c']);
    assert.deepEqual(shellWords('pre"mid dle"post'), ['premid dlepost'], 'quotes join with what touches them');
  });

  it('names the problem', () => {
    assert.deepEqual(shellWords('"unclosed'), { problem: 'unterminatedQuote', quote: 'double' });
    assert.deepEqual(shellWords("it's"), { problem: 'unterminatedQuote', quote: 'single' });
    assert.deepEqual(shellWords('a > b'), { problem: 'operator', op: '>' });
    assert.deepEqual(shellWords('echo `id`'), { problem: 'operator', op: '`' });
    assert.deepEqual(shellWords('echo "a | b" \\;'), ['echo', 'a | b', ';'], 'quoted or escaped operators are words');
  });
});

describe('env files, as docker run --env-file reads them', () => {
  const env: Record<string, string> = { FROM_HOST: 'host value', EMPTY_ON_HOST: '' };
  const lookup = (k: string) => env[k];
  const read = (text: string | Uint8Array) => parseEnvFile(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, lookup);

  it('keeps values exactly: quotes, spaces, = and # are part of them', () => {
    assert.deepEqual(read('A=1\nQUOTED="two words"\nSINGLE=\'x\'\nSPACES=  padded  \nEQ=a=b\nHASH=x # not a comment\nEMPTY=\n'), [
      'A=1',
      'QUOTED="two words"',
      "SINGLE='x'",
      'SPACES=  padded  ',
      'EQ=a=b',
      'HASH=x # not a comment',
      'EMPTY=',
    ]);
  });

  it('trims leading whitespace only, skips comments and empty lines, drops \\r of CRLF', () => {
    assert.deepEqual(read('# comment\n\n   \n\t  INDENTED=yes\r\n  # indented comment\nLAST=no newline'), ['INDENTED=yes', 'LAST=no newline']);
  });

  it('takes a bare NAME from the environment, and drops it when unset', () => {
    assert.deepEqual(read('FROM_HOST\nEMPTY_ON_HOST\nNOT_ON_HOST\n'), ['FROM_HOST=host value', 'EMPTY_ON_HOST=']);
  });

  it('refuses whitespace in a key, so export is not supported, with the line number', () => {
    assert.deepEqual(read('A=1\nexport EXPORTED=yes\n'), { problem: 'envFileKeySpace', part: 'export EXPORTED', line: 2 });
    assert.deepEqual(read('A=1\n\nBAD KEY=1'), { problem: 'envFileKeySpace', part: 'BAD KEY', line: 3 });
    assert.deepEqual(read('KEY =1'), { problem: 'envFileKeySpace', part: 'KEY ', line: 1 });
    assert.deepEqual(read('TRAILING \n'), { problem: 'envFileKeySpace', part: 'TRAILING ', line: 1 }, 'a bare name with a trailing space');
    assert.deepEqual(read('A=1\n=value'), { problem: 'envFileNoKey', part: '=value', line: 2 });
  });

  it('strips a BOM at the start of the file only, and refuses invalid UTF-8', () => {
    assert.deepEqual(read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('BOM=1\n')])), ['BOM=1']);
    assert.deepEqual(read('A=é ü\n'), ['A=é ü']);
    assert.deepEqual(read(Buffer.concat([Buffer.from('A=1\nB='), Buffer.from([0xff, 0xfe]), Buffer.from('\n')])), { problem: 'envFileUtf8', line: 2 });
    assert.deepEqual(read(`L=${'x'.repeat(70_000)}`), { problem: 'envFileLongLine', line: 1 });
  });
});

describe('host networking', () => {
  it('sends no published ports, and says which were ignored', () => {
    assert.deepEqual(portsForNetwork('host', [1, 2]), { ports: [], ignored: [1, 2] });
    assert.deepEqual(portsForNetwork('bridge', [1]), { ports: [1], ignored: [] });
    assert.deepEqual(portsForNetwork(undefined, [1]), { ports: [1], ignored: [] });
  });
});
