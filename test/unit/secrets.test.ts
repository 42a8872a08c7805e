import { strict as assert } from 'assert';
import { maskEnv, maskInspect, MASK } from '../../src/model/secrets';

describe('secret masking', () => {
  it('masks values of secret-looking names only', () => {
    assert.deepEqual(maskEnv(['PATH=/bin', 'POSTGRES_PASSWORD=hunter2', 'API_TOKEN=abc=def', 'aws_secret_access_key=x', 'EMPTY_KEY=', 'NOVALUE']), [
      'PATH=/bin',
      `POSTGRES_PASSWORD=${MASK}`,
      `API_TOKEN=${MASK}`,
      `aws_secret_access_key=${MASK}`,
      'EMPTY_KEY=',
      'NOVALUE',
    ]);
  });
  it('masks Config.Env in an inspect payload without touching the original', () => {
    const original = { Id: 'x', Config: { Env: ['MYSQL_ROOT_PASSWORD=pw'] } };
    const masked = maskInspect(original);
    assert.deepEqual(masked.Config.Env, [`MYSQL_ROOT_PASSWORD=${MASK}`]);
    assert.deepEqual(original.Config.Env, ['MYSQL_ROOT_PASSWORD=pw']);
  });
});
