import { strict as assert } from 'assert';
import { formatAge, formatPort, formatSize } from '../../src/model/format';

describe('formatting', () => {
  it('prints sizes in Docker\'s decimal units, written the locale\'s way', () => {
    const nb = '\u00a0';
    assert.equal(formatSize(0, 'en'), `0${nb}B`);
    assert.equal(formatSize(999, 'en'), `999${nb}B`);
    assert.equal(formatSize(1000, 'en'), `1${nb}kB`);
    assert.equal(formatSize(4194304, 'en'), `4.19${nb}MB`);
    assert.equal(formatSize(1_234_567_890, 'en'), `1.23${nb}GB`);
    assert.equal(formatSize(72_800_000, 'en'), `72.8${nb}MB`);
    assert.equal(formatSize(1_990_000, 'fr'), `1,99${nb}Mo`);
    assert.equal(formatSize(1_990_000, 'fr-CA'), `1,99${nb}Mo`);
    assert.equal(formatSize(512, 'fr'), `512${nb}o`);
    assert.equal(formatSize(72_800_000, 'fr'), `72,8${nb}Mo`);
    assert.equal(formatSize(4_500, 'fr'), `4,5${nb}ko`);
    // Rounded to 3 digits before the unit is chosen, as the CLI does.
    assert.equal(formatSize(999_700, 'en'), `1,000${nb}kB`);
    assert.equal(formatSize(999_700, 'fr'), `1\u202f000${nb}ko`);
    // Other languages: their digits, Docker's units.
    assert.equal(formatSize(1_990_000, 'de'), `1,99${nb}MB`);
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
