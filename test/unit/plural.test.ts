import { strict as assert } from 'assert';
import { isSingular, plural } from '../../src/model/plural';

describe('plural forms', () => {
  it('follows English: only 1 is singular', () => {
    assert.deepEqual([0, 1, 2, 1.5].map((n) => isSingular(n, 'en')), [false, true, false, false]);
    assert.equal(plural(0, 'en', 'one', 'other'), 'other');
  });

  it('follows French: 0 and 1 are singular', () => {
    assert.deepEqual([0, 1, 2, 1.5, 10].map((n) => isSingular(n, 'fr')), [true, true, false, true, false]);
    assert.equal(plural(0, 'fr', '0 conteneur', '0 conteneurs'), '0 conteneur');
    assert.equal(plural(3, 'fr-CA', 'un', 'plusieurs'), 'plusieurs');
  });

  it('falls back to English rules for a locale it does not know', () => {
    assert.equal(plural(1, 'not a locale!', 'one', 'other'), 'one');
    assert.equal(plural(2, 'not a locale!', 'one', 'other'), 'other');
  });
});
