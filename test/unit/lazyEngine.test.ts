import { strict as assert } from 'assert';

describe('lazy engine loading', () => {
  it('loading the engine entry and endpoint resolution does not load dockerode', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../src/engine/index');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../src/session/engineSession');
    const loaded = Object.keys(require.cache).filter((k) => /[\\/]node_modules[\\/](dockerode|ssh2|@grpc)[\\/]/.test(k));
    assert.deepEqual(loaded, []);
  });
});
