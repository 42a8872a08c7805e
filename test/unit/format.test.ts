import { strict as assert } from 'assert';
import { formatAge, formatPort, formatSize } from '../../src/model/format';

describe('formatting', () => {
  it('prints sizes as the docker CLI does', () => {
    assert.equal(formatSize(0), '0B');
    assert.equal(formatSize(999), '999B');
    assert.equal(formatSize(1000), '1kB');
    assert.equal(formatSize(4194304), '4.19MB');
    assert.equal(formatSize(1_234_567_890), '1.23GB');
    assert.equal(formatSize(72_800_000), '72.8MB');
  });

  it('prints published and exposed ports', () => {
    assert.equal(formatPort({ containerPort: 80, protocol: 'tcp', hostPort: 8080, hostIp: '127.0.0.1' }), '127.0.0.1:8080 → 80/tcp');
    assert.equal(formatPort({ containerPort: 53, protocol: 'udp', hostPort: 53, hostIp: '::1' }), '[::1]:53 → 53/udp');
    assert.equal(formatPort({ containerPort: 5432, protocol: 'tcp' }), '5432/tcp');
  });

  it('prints ages in the user\'s language', () => {
    const now = Date.UTC(2026, 10, 28, 12);
    const threeDays = now / 1000 - 3 * 86400;
    assert.equal(formatAge(threeDays, now, 'en'), '3 days ago');
    assert.equal(formatAge(threeDays, now, 'fr'), 'il y a 3 jours');
    assert.equal(formatAge(now / 1000 - 90, now, 'en'), '2 minutes ago');
    assert.equal(formatAge(now / 1000 - 400 * 86400, now, 'en'), 'last year');
  });
});

describe('port addresses', () => {
  it('opens http, https for 443 and 8443, and localhost for wildcard binds', async () => {
    const { portUrl } = await import('../../src/model/format');
    assert.equal(portUrl({ containerPort: 80, protocol: 'tcp', hostPort: 8080, hostIp: '127.0.0.1' }), 'http://127.0.0.1:8080/');
    assert.equal(portUrl({ containerPort: 443, protocol: 'tcp', hostPort: 8443, hostIp: '0.0.0.0' }), 'https://localhost:8443/');
    assert.equal(portUrl({ containerPort: 8443, protocol: 'tcp', hostPort: 9000, hostIp: '::1' }), 'https://[::1]:9000/');
    assert.equal(portUrl({ containerPort: 53, protocol: 'udp', hostPort: 53, hostIp: '127.0.0.1' }), undefined, 'no browser for udp');
    assert.equal(portUrl({ containerPort: 80, protocol: 'tcp' }), undefined, 'not published');
  });
});
