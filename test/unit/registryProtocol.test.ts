import { strict as assert } from 'assert';
import { lastOf, nextLink, parseChallenges } from '../../src/model/registry/challenge';
import { isLoopback } from '../../src/model/registry/tlsTrust';
import { platformText } from '../../src/model/registry/client';

describe('registry protocol grammars', () => {
  it('parses a Bearer challenge with a quoted scope holding commas', () => {
    const [c] = parseChallenges('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:team/app:pull,push"');
    assert.equal(c.scheme, 'bearer');
    assert.deepEqual(c.params, { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:team/app:pull,push' });
  });

  it('parses Basic, several challenges in one header, unquoted values and escapes', () => {
    assert.deepEqual(parseChallenges('Basic realm="Registry Realm"'), [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
    const two = parseChallenges('Basic realm="a", Bearer realm="https://t/x",service=reg, error="insufficient_scope"');
    assert.deepEqual(
      two.map((c) => c.scheme),
      ['basic', 'bearer'],
    );
    assert.deepEqual(two[1].params, { realm: 'https://t/x', service: 'reg', error: 'insufficient_scope' });
    assert.equal(parseChallenges('Basic realm="say \\"hi\\""')[0].params.realm, 'say "hi"');
    assert.deepEqual(parseChallenges(undefined), []);
    assert.deepEqual(parseChallenges(''), []);
  });

  it('finds the next page in a Link header and its last parameter', () => {
    const link = '</v2/_catalog?last=team%2Fb&n=100>; rel="next"';
    assert.equal(nextLink(link), '/v2/_catalog?last=team%2Fb&n=100');
    assert.equal(lastOf(nextLink(link)!), 'team/b');
    assert.equal(nextLink('<https://r/v2/x/tags/list?n=2&last=v2>; rel="prev", <https://r/v2/x/tags/list?n=2&last=v4>; rel="next"'), 'https://r/v2/x/tags/list?n=2&last=v4');
    assert.equal(nextLink('</a>; rel=next'), '/a');
    assert.equal(nextLink('</a>; rel="prev"'), undefined);
    assert.equal(nextLink(undefined), undefined);
  });

  it('treats loopback hosts as the engine does and names platforms', () => {
    for (const h of ['127.0.0.1:5000', '127.1.2.3', 'localhost:5000', '[::1]:5000']) assert.ok(isLoopback(h), h);
    for (const h of ['registry.example.com', '10.0.0.1:5000', '128.0.0.1']) assert.ok(!isLoopback(h), h);
    assert.equal(platformText({ os: 'linux', architecture: 'arm64', variant: 'v8' }), 'linux/arm64/v8');
    assert.equal(platformText({ os: 'linux', architecture: 'amd64' }), 'linux/amd64');
  });
});
