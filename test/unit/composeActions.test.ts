// The vscode-free halves of the Compose actions: reading a failed run's output (the texts are
// docker-compose 1.29.2's, captured on this machine, and Compose v2's), connection hints on port
// rows, and the trust gate in the model and the manifest.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { composeFailure } from '../../src/model/compose/failure';
import { needsTrust } from '../../src/model/compose/program';
import { browserUrl, connectionHint, portAddress, portKind } from '../../src/model/connectionHint';

const folder = '/work/app';

describe('compose failure from the program output', () => {
  it('names the service and the port conflict, without the engine plumbing (v1)', () => {
    const out = [
      'Creating network "cfc_default" with the default driver',
      'Creating cfc_web_1 ... ',
      'Creating cfc_web_1  ... error',
      '',
      'ERROR: for cfc_web_1  Cannot start service web: driver failed programming external connectivity on endpoint cfc_web_1 (43a47f9005a71a9916f6293ebdabaa178c0b96a5738b6db95797d44cd95f3a5f): Bind for 127.0.0.1:47811 failed: port is already allocated',
      'Creating cfc_web2_1 ... done',
      '',
      'ERROR: for web  Cannot start service web: driver failed programming external connectivity on endpoint cfc_web_1 (43a47f9005a71a9916f6293ebdabaa178c0b96a5738b6db95797d44cd95f3a5f): Bind for 127.0.0.1:47811 failed: port is already allocated',
      'Encountered errors while bringing up the project.',
    ].join('\n');
    assert.deepEqual(composeFailure(out, { folder, project: 'cfc' }), { service: 'web', reason: 'Bind for 127.0.0.1:47811 failed: port is already allocated' });
  });

  it('names the missing command of a service that cannot start (v1)', () => {
    const out =
      'ERROR: for web  Cannot start service web: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH: unknown\nEncountered errors while bringing up the project.\n';
    assert.deepEqual(composeFailure(out, { folder }), { service: 'web', reason: 'exec: "nosuchcmd": executable file not found in $PATH' });
  });

  it('turns a YAML error with a position into that file, line and column (v1)', () => {
    const out = 'yaml.scanner.ScannerError: sequence entries are not allowed here\n  in "./docker-compose.yml", line 4, column 12\n';
    assert.deepEqual(composeFailure(out, { folder }), { reason: 'sequence entries are not allowed here', position: { file: path.join(folder, 'docker-compose.yml'), line: 4, column: 12 } });
  });

  it('reads the line Compose v2 gives for a file', () => {
    const out = 'parsing /work/app/compose.yaml: yaml: line 7: did not find expected key\n';
    assert.deepEqual(composeFailure(out, { folder }), { reason: 'did not find expected key', position: { file: '/work/app/compose.yaml', line: 7, column: 1 } });
  });

  it('names the service whose build failed, with the step that failed (v1)', () => {
    const out = "Step 2/2 : RUN exit 3\n ---> Running in d4b44ba994b5\nThe command '/bin/sh -c exit 3' returned a non-zero code: 3\nService 'app' failed to build : Build failed\n";
    assert.deepEqual(composeFailure(out, { folder }), { service: 'app', reason: "The command '/bin/sh -c exit 3' returned a non-zero code: 3" });
  });

  it('names the service of a failed pull from its Pulling line (v1)', () => {
    const out = 'Creating network "cfb_default" with the default driver\nPulling web (berth-no-such-image-xyz:1)...\nGet "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host\n';
    assert.deepEqual(composeFailure(out, { folder }), { service: 'web', reason: 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host' });
  });

  it("names the service of v1's schema refusal and v2's container names", () => {
    assert.deepEqual(composeFailure("The Compose file './docker-compose.yml' is invalid because:\nUnsupported config option for services.web: 'portz'\n", { folder }), {
      service: 'web',
      reason: "Unsupported config option for services.web: 'portz'",
    });
    const v2 = ' \x1b[31m✘\x1b[0m Container shop-db-1  Error\nError response from daemon: driver failed programming external connectivity on endpoint shop-db-1 (0f3c): Bind for 0.0.0.0:5432 failed: port is already allocated\n';
    assert.deepEqual(composeFailure(v2, { folder, project: 'shop' }), { service: 'db', reason: 'Bind for 0.0.0.0:5432 failed: port is already allocated' });
  });

  it('says nothing for empty output', () => {
    assert.equal(composeFailure('\n\n', { folder }), undefined);
  });
});

describe('connection hints on port rows', () => {
  const port = (containerPort: number, hostPort: number, hostIp = '127.0.0.1') => ({ containerPort, protocol: 'tcp' as const, hostPort, hostIp });
  it('names the protocol of well-known database and cache ports, at an address reachable from here', () => {
    assert.deepEqual(connectionHint('postgres:16', port(5432, 5433)), { service: 'postgres', address: '127.0.0.1:5433' });
    assert.deepEqual(connectionHint('mysql:8', port(3306, 3307, '0.0.0.0')), { service: 'mysql', address: '127.0.0.1:3307' });
    assert.deepEqual(connectionHint('mcr.microsoft.com/mssql/server:2022-latest', port(1433, 1433)), { service: 'mssql', address: '127.0.0.1:1433' });
    assert.deepEqual(connectionHint('myapp_cache', port(6379, 6380)), { service: 'redis', address: '127.0.0.1:6380' });
    assert.deepEqual(connectionHint('db', port(5432, 5433, '::1')), { service: 'postgres', address: '[::1]:5433' });
  });
  it('gives web ports their URL, from the port number or the image catalogue', () => {
    assert.deepEqual(connectionHint('nginx', port(80, 8081)), { service: 'http', address: 'http://127.0.0.1:8081/' });
    assert.deepEqual(connectionHint('web', port(8443, 9443)), { service: 'https', address: 'https://127.0.0.1:9443/' });
    assert.deepEqual(connectionHint('adminer', port(8080, 8090)), { service: 'http', address: 'http://127.0.0.1:8090/' });
  });
  it('says nothing for unknown, unpublished or UDP ports', () => {
    assert.equal(connectionHint('myapp', port(7777, 7777)), undefined);
    assert.equal(connectionHint('postgres', { containerPort: 5432, protocol: 'tcp' }), undefined);
    assert.equal(connectionHint('dns', { containerPort: 5432, protocol: 'udp', hostPort: 5432 }), undefined);
  });
});

describe('which ports open in a browser', () => {
  const port = (containerPort: number, hostPort: number, hostIp = '127.0.0.1', protocol: 'tcp' | 'udp' = 'tcp') => ({ containerPort, protocol, hostPort, hostIp });
  it('never offers the browser for a database, a cache or a broker, by port or by image', () => {
    for (const [image, p] of [
      ['postgres:16', 5432],
      ['mysql:8', 3306],
      ['mcr.microsoft.com/mssql/server:2022-latest', 1433],
      ['redis:7', 6379],
      ['myapp', 27017],
      ['rabbitmq:3-management', 5672],
    ] as const) {
      assert.equal(portKind(image, port(p, p + 1)), 'tcp', `${image} ${p}`);
      assert.equal(browserUrl(image, port(p, p + 1)), undefined, `${image} ${p}`);
    }
    // The image says it even on a port of its own choosing.
    assert.equal(portKind('postgres:16', port(6543, 6543)), 'tcp');
    assert.equal(portKind('bitnami/postgresql:16', port(6543, 6543)), 'tcp');
    assert.equal(portKind('redis-stack-server', port(7000, 7000)), 'tcp');
    assert.deepEqual(connectionHint('bitnami/postgresql:16', port(6543, 6543)), { service: 'postgres', address: '127.0.0.1:6543' });
  });
  it('offers it for web ports, the catalogue web ports of service images, and unknown ports of unknown images', () => {
    assert.equal(browserUrl('nginx', port(80, 8081)), 'http://127.0.0.1:8081/');
    assert.equal(browserUrl('rabbitmq:3-management', port(15672, 15672)), 'http://127.0.0.1:15672/', "rabbitmq's management UI");
    assert.equal(browserUrl('minio/minio', port(9001, 9001)), 'http://127.0.0.1:9001/');
    assert.equal(browserUrl('web', port(8443, 9443, '0.0.0.0')), 'https://127.0.0.1:9443/');
    assert.equal(browserUrl('myapp', port(5173, 5173)), 'http://127.0.0.1:5173/', 'a development server');
  });
  it('never for UDP or an unpublished port; Copy Address gives host:port, or the URL of a web port', () => {
    assert.equal(portKind('dns', port(53, 53, '127.0.0.1', 'udp')), 'udp');
    assert.equal(browserUrl('dns', port(53, 53, '127.0.0.1', 'udp')), undefined);
    assert.equal(portKind('nginx', { containerPort: 80, protocol: 'tcp' }), undefined);
    assert.equal(portAddress('postgres', port(5432, 5433, '0.0.0.0')), '127.0.0.1:5433');
    assert.equal(portAddress('postgres', port(5432, 5433, '::')), '[::1]:5433');
    assert.equal(portAddress('nginx', port(80, 8080)), 'http://127.0.0.1:8080/');
    assert.equal(portAddress('dns', port(53, 5353, '127.0.0.1', 'udp')), '127.0.0.1:5353');
  });
  it('lets menus follow: Open in Browser only on port:http, Copy Port Address on port:http and port:tcp, in both views', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
    const menus = pkg.contributes.menus['view/item/context'] as { command: string; when: string }[];
    const matches = (when: string, view: string, item: string) => {
      const v = /view =~ \/(.+?)\/ && viewItem (==|=~) (\S+)/.exec(when);
      if (!v) return false;
      const itemOk = v[2] === '==' ? v[3] === item : new RegExp(v[3].slice(1, -1)).test(item);
      return new RegExp(v[1]).test(view) && itemOk;
    };
    for (const view of ['berth.containers', 'berth.compose']) {
      const on = (item: string) => menus.filter((m) => matches(m.when, view, item)).map((m) => m.command);
      assert.ok(on('port:http').includes('berth.containers.openPort'), view);
      assert.ok(on('port:http').includes('berth.containers.copyPortAddress'), view);
      assert.ok(!on('port:tcp').includes('berth.containers.openPort'), view);
      assert.ok(on('port:tcp').includes('berth.containers.copyPortAddress'), view);
      assert.deepEqual(on('port:udp'), [], view);
    }
  });
});

describe('compose trust gate', () => {
  it('needs trust for what runs the files (up, build), not for what acts on what exists', () => {
    assert.equal(needsTrust({ verb: 'up' }), true);
    assert.equal(needsTrust({ verb: 'up', scale: { web: 3 } }), true);
    assert.equal(needsTrust({ verb: 'build' }), true);
    for (const verb of ['pull', 'stop', 'start', 'restart'] as const) assert.equal(needsTrust({ verb }), false, verb);
    assert.equal(needsTrust({ verb: 'down' }), false);
  });

  it('shows Up, Build and Scale only in trusted workspaces, wherever they sit', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
    const gated = ['berth.compose.up', 'berth.compose.upChoose', 'berth.compose.upFile', 'berth.compose.build', 'berth.compose.scale'];
    let seen = 0;
    for (const [menu, entries] of Object.entries(pkg.contributes.menus as Record<string, { command: string; when?: string }[]>))
      for (const e of entries)
        if (gated.includes(e.command)) {
          seen++;
          assert.match(e.when ?? '', /\bisWorkspaceTrusted\b/, `${e.command} in ${menu}`);
        }
    // The palette, the view's menu and the Explorer / editor title entries of all five.
    assert.ok(seen >= 10, `${seen} gated entries`);
  });
});
