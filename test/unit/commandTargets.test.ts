import { strict as assert } from 'assert';
import { optionsArgument, recordsOf, targetKeys } from '../../src/commands/targetArgs';

describe('command arguments', () => {
  it('takes the selection when VS Code passes one, else the clicked row, else nothing (the palette asks)', () => {
    assert.deepEqual(targetKeys(['a', ['a', 'b']]), ['a', 'b'], 'context menu on a multi-selection');
    assert.deepEqual(targetKeys(['a', []]), ['a'], 'an empty selection falls back to the clicked row');
    assert.deepEqual(targetKeys(['a']), ['a'], 'inline button');
    assert.deepEqual(targetKeys(['a', { preserveFocus: true }]), ['a'], "a row's click passes options, not a selection");
    assert.deepEqual(targetKeys([]), [], 'palette');
    assert.deepEqual(targetKeys([undefined, undefined]), [], 'palette through executeCommand');
    assert.deepEqual(targetKeys(['']), [], 'an empty key is no row');
    assert.deepEqual(targetKeys([{ text: 'x' }]), [], 'a script passing only options');
  });

  it('reads options only from a plain object: never a row key, a selection or a Uri-like class', () => {
    class Uri {
      readonly scheme = 'file';
    }
    assert.equal(optionsArgument(['container-id']), undefined, "a title bar's focused row is not options");
    assert.equal(optionsArgument(['a', ['a']]), undefined);
    assert.equal(optionsArgument([new Uri()]), undefined);
    assert.deepEqual(optionsArgument(['a', { preserveFocus: true }]), { preserveFocus: true });
    assert.deepEqual(optionsArgument([{ text: 'web' }]), { text: 'web' });
    assert.equal(optionsArgument([Object.assign(Object.create(null), { engine: '' })])?.engine, '');
  });

  it('resolves keys to records once each: a repository row and one of its tags give that tag once', () => {
    const rows: Record<string, string[]> = { 'repo:app': ['app:1', 'app:2'], 'tag:app:1': ['app:1'], gone: [] };
    assert.deepEqual(
      recordsOf(['repo:app', 'tag:app:1', 'gone'], (k) => rows[k] ?? [], (r) => r),
      ['app:1', 'app:2'],
    );
  });
});
