import { strict as assert } from 'assert';
import { checkName, parseCommand, parseEnv, parseMount, parseRestart, suggestName } from '../../src/model/runSpec';

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
  });
});
