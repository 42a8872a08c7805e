import { strict as assert } from 'assert';
import { contains, formatAddress, gatewayProblem, ipRangeProblem, overlaps, parseAddress, parseCidr, staticIpProblem, subnetProblem } from '../../src/model/lifecycle/addresses';
import { joinable } from '../../src/model/lifecycle/joinable';
import * as limits from '../../src/model/lifecycle/limits';
import { changeProblem } from '../../src/model/lifecycle/commitChanges';
import { prunePlan, totalBytes } from '../../src/model/lifecycle/prunePlan';
import { networkNameProblem, objectNameProblem, parsePairs } from '../../src/model/lifecycle/names';
import type { ContainerRecord, NetworkRecord } from '../../src/contract/records';

describe('lifecycle checks (Create Network…, Create Volume…, Connect, Rename)', () => {
  it('parses IPv4 and IPv6 CIDR blocks, and tells host bits', () => {
    assert.equal(parseCidr('172.30.0.0/16')?.prefix, 16);
    assert.equal(parseCidr('10.0.0.1/24')?.hostBits, true);
    assert.equal(parseCidr('fd00:30::/64')?.family, 6);
    for (const bad of ['172.30.0.0', '172.30.0.0/33', '256.1.1.1/8', '10.0.0/8', 'fd00::1::/64', 'abc/8', '01.2.3.4/8']) assert.equal(parseCidr(bad), undefined, bad);
    assert.equal(formatAddress(4, parseAddress('10.1.2.3')!.value), '10.1.2.3');
    assert.equal(formatAddress(6, parseCidr('fd00:30::5/64')!.base), 'fd00:30::');
  });

  it('finds overlaps and containment', () => {
    assert.ok(overlaps(parseCidr('10.0.0.0/8')!, parseCidr('10.20.0.0/16')!));
    assert.ok(!overlaps(parseCidr('10.0.0.0/16')!, parseCidr('10.1.0.0/16')!));
    assert.ok(!overlaps(parseCidr('10.0.0.0/8')!, parseCidr('fd00::/8')!), 'families never overlap');
    assert.ok(contains(parseCidr('192.168.5.0/24')!, parseAddress('192.168.5.77')!));
    assert.ok(!contains(parseCidr('192.168.5.0/24')!, parseAddress('192.168.6.1')!));
  });

  it('names the network a subnet overlaps, and says what is wrong with a gateway or range', () => {
    const existing = [{ name: 'bridge', subnets: ['172.17.0.0/16'] }, { name: 'app', subnets: ['10.5.0.0/24', 'fd00:5::/64'] }];
    assert.deepEqual(subnetProblem('172.17.3.0/24', existing), { kind: 'overlap', value: '172.17.3.0/24', network: 'bridge', subnet: '172.17.0.0/16' });
    assert.deepEqual(subnetProblem('10.0.0.0/8', existing, 4), { kind: 'overlap', value: '10.0.0.0/8', network: 'app', subnet: '10.5.0.0/24' });
    assert.equal(subnetProblem('10.6.0.0/24', existing, 4), undefined);
    assert.deepEqual(subnetProblem('10.6.0.1/24', existing), { kind: 'hostBits', field: 'subnet', value: '10.6.0.1/24', base: '10.6.0.0/24' });
    assert.equal(subnetProblem('fd00:6::/64', existing, 4)?.kind, 'wrongFamily');
    assert.deepEqual(gatewayProblem('10.7.0.1', '10.6.0.0/24'), { kind: 'outside', field: 'gateway', value: '10.7.0.1', subnet: '10.6.0.0/24' });
    assert.equal(gatewayProblem('10.6.0.1', '10.6.0.0/24'), undefined);
    assert.equal(gatewayProblem('', '10.6.0.0/24'), undefined);
    assert.equal(gatewayProblem('10.6.0.1', '')?.kind, 'needsSubnet');
    assert.equal(ipRangeProblem('10.6.0.128/25', '10.6.0.0/24'), undefined);
    assert.equal(ipRangeProblem('10.6.0.0/23', '10.6.0.0/24')?.kind, 'outside');
  });

  it('checks a static IP against the subnet, the gateway and the addresses in use', () => {
    const net = { subnets: ['10.6.0.0/24'], gateways: ['10.6.0.1'], used: [{ ip: '10.6.0.2', by: 'web' }] };
    assert.equal(staticIpProblem('10.6.0.9', net), undefined);
    assert.deepEqual(staticIpProblem('10.6.0.2', net), { kind: 'taken', value: '10.6.0.2', by: 'web' });
    assert.equal(staticIpProblem('10.6.0.1', net)?.kind, 'taken');
    assert.equal(staticIpProblem('10.7.0.9', net)?.kind, 'outside');
    assert.equal(staticIpProblem('10.6.0.255', net)?.kind, 'reserved');
    assert.equal(staticIpProblem('10.6.0', net)?.kind, 'invalidAddress');
  });

  it('applies Docker’s name rules to containers and volumes, and a looser one to networks', () => {
    assert.equal(objectNameProblem('web-1', ['db']), undefined);
    assert.equal(objectNameProblem('/web-1', []), undefined);
    assert.equal(objectNameProblem('a', []), 'pattern', 'one character is refused by the engine');
    assert.equal(objectNameProblem('-web', []), 'pattern');
    assert.equal(objectNameProblem('my web', []), 'pattern');
    assert.equal(objectNameProblem('db', ['db']), 'taken');
    assert.equal(objectNameProblem('', []), 'empty');
    assert.equal(networkNameProblem('my net', []), 'pattern');
    assert.equal(networkNameProblem('front', ['front']), 'taken');
    assert.equal(networkNameProblem('front_1', []), undefined);
  });

  it('reads key=value items separated by spaces, keeping commas inside values', () => {
    assert.deepEqual(parsePairs('type=nfs o=addr=10.0.0.1,rw device=:/x'), { pairs: { type: 'nfs', o: 'addr=10.0.0.1,rw', device: ':/x' } });
    assert.deepEqual(parsePairs(''), { pairs: {} });
    assert.deepEqual(parsePairs('team=a oops'), { bad: 'oops' });
    assert.deepEqual(parsePairs('=x'), { bad: '=x' });
  });

  it('offers a container only the networks it can join', () => {
    const c = { networks: ['n1'] } as ContainerRecord;
    const n = (id: string, name: string, driver: string) => ({ id, name, driver }) as NetworkRecord;
    assert.ok(!joinable(n('n1', 'app', 'bridge'), c));
    assert.ok(joinable(n('n2', 'other', 'bridge'), c));
    assert.ok(!joinable(n('n3', 'host', 'host'), c));
    assert.ok(!joinable(n('n4', 'none', 'null'), c));
  });
});

describe('Update… limits', () => {
  it('reads memory, CPUs and restart policies as docker’s flags do', () => {
    assert.equal(limits.parseMemory('512m'), 512 * 1024 ** 2);
    assert.equal(limits.parseMemory('1.5g'), 1.5 * 1024 ** 3);
    assert.equal(limits.parseMemory('64MiB'), 64 * 1024 ** 2);
    assert.equal(limits.parseMemory('1024'), 1024);
    assert.equal(limits.parseMemory('lots'), undefined);
    assert.equal(limits.memoryArg(256 * 1024 ** 2), '256m');
    assert.equal(limits.parseCpus('1.5'), 1.5e9);
    assert.equal(limits.parseCpus('-1'), undefined);
    assert.deepEqual(limits.parseRestart('on-failure:3'), { name: 'on-failure', maximumRetryCount: 3 });
    assert.equal(limits.parseRestart('always:3'), undefined);
    assert.equal(limits.parseRestart('sometimes'), undefined);
  });

  it('refuses a memory limit below the usage or the engine’s floor, and CPUs beyond the engine’s', () => {
    assert.deepEqual(limits.memoryProblem('20m', 40 * 1024 ** 2), { kind: 'memoryBelowUsage', limit: 20 * 1024 ** 2, usage: 40 * 1024 ** 2 });
    assert.equal(limits.memoryProblem('4m', undefined)?.kind, 'memoryTooSmall');
    assert.equal(limits.memoryProblem('', 1e9), undefined, 'empty keeps the limit');
    assert.equal(limits.cpusProblem('3', 2)?.kind, 'cpusRange');
    assert.equal(limits.cpusProblem('0.5', 2), undefined);
    assert.deepEqual(limits.memoryRefusal('runc did not terminate successfully: exit status 1: unable to set memory limit to 20971520 (current usage: 42360832, peak usage: 43626496)'), { limit: 20971520, usage: 42360832 });
  });

  it('sends only what changes, memory with its swap', () => {
    const before = { restart: { name: 'no' }, memory: 0, memorySwap: 0, nanoCpus: 0 };
    assert.deepEqual(limits.limitsChange(before, { restart: 'no', memory: '', cpus: '' }), {});
    assert.deepEqual(limits.limitsChange(before, { restart: 'unless-stopped', memory: '64m', cpus: '0.5' }), { restart: { name: 'unless-stopped' }, memory: 64 * 1024 ** 2, memorySwap: 128 * 1024 ** 2, nanoCpus: 5e8 });
    assert.equal(limits.limitsChange({ ...before, memorySwap: -1 }, { memory: '64m' }).memorySwap, -1);
  });
});

describe('Commit to Image… changes', () => {
  it('accepts the instructions docker commit --change takes, with arguments of the right shape', () => {
    for (const ok of ['CMD ["sh", "-c", "echo hi"]', 'cmd echo hi', 'ENV A=1 B=two', 'ENV NAME some value', 'EXPOSE 8080 53/udp 7000-7010/tcp', 'LABEL team=web', 'WORKDIR /srv', 'USER 1000:1000', 'VOLUME ["/data"]', 'STOPSIGNAL SIGTERM'])
      assert.equal(changeProblem(ok), undefined, ok);
  });

  it('names what is wrong with a line', () => {
    assert.deepEqual(changeProblem('RUN apt-get update'), { kind: 'instruction', line: 'RUN apt-get update', word: 'RUN' });
    assert.deepEqual(changeProblem('COPY . /app')?.kind, 'instruction');
    assert.deepEqual(changeProblem('ENV'), { kind: 'noArgument', line: 'ENV', word: 'ENV' });
    assert.deepEqual(changeProblem('CMD ["sh", 1]'), { kind: 'json', line: 'CMD ["sh", 1]' });
    assert.deepEqual(changeProblem('CMD ["sh"'), { kind: 'json', line: 'CMD ["sh"' });
    assert.deepEqual(changeProblem('ENV A=1 B'), { kind: 'pair', line: 'ENV A=1 B', item: 'B' });
    assert.deepEqual(changeProblem('ENV LONELY'), { kind: 'pair', line: 'ENV LONELY', item: 'LONELY' });
    assert.deepEqual(changeProblem('EXPOSE http'), { kind: 'port', line: 'EXPOSE http', item: 'http' });
    assert.deepEqual(changeProblem('EXPOSE 70000'), { kind: 'port', line: 'EXPOSE 70000', item: '70000' });
  });
});

describe('prune plan', () => {
  it('counts what only stopped containers held as free, and takes volumes and build cache only when asked', () => {
    const df = {
      containers: [
        { id: 'c1', name: 'old', state: 'exited', sizeRw: 100, imageId: 'i1', labels: {}, networks: ['n1'], volumes: ['v1'] },
        { id: 'c2', name: 'web', state: 'running', sizeRw: 5, imageId: 'i2', labels: {}, networks: ['n2'], volumes: ['v2'] },
      ],
      images: [
        { id: 'i1', tags: [], size: 300, sharedSize: 200, containers: 1, labels: {} },
        { id: 'i2', tags: ['web:1'], size: 300, sharedSize: 200, containers: 1, labels: {} },
        { id: 'i3', tags: ['tool:1'], size: 50, sharedSize: 0, containers: 0, labels: {} },
      ],
      volumes: [
        { name: 'v1', size: 40, refCount: 1, labels: {} },
        { name: 'v2', size: 70, refCount: 1, labels: {} },
      ],
      buildCache: [{ id: 'b1', size: 9, inUse: false, shared: false, description: 'RUN make' }, { id: 'b2', size: 9, inUse: true, shared: false, description: 'x' }],
    };
    const nets = [{ id: 'n1', name: 'old-net' }, { id: 'n2', name: 'web-net' }, { id: 'n3', name: 'bridge' }] as NetworkRecord[];
    const ids = (p: ReturnType<typeof prunePlan>) => p.map((i) => `${i.kind}:${i.id}:${i.bytes}`);
    assert.deepEqual(ids(prunePlan(df, nets, { kinds: ['container', 'network', 'image', 'buildCache'], allImages: false })), ['container:c1:100', 'network:n1:0', 'image:i1:100', 'buildCache:b1:9']);
    assert.deepEqual(ids(prunePlan(df, nets, { kinds: ['image', 'volume'], allImages: true })), ['image:i3:50'], 'an image or volume a stopped container still holds stays when containers are not pruned');
    assert.deepEqual(ids(prunePlan(df, nets, { kinds: ['container', 'volume'], allImages: false })), ['container:c1:100', 'volume:v1:40']);
    assert.equal(totalBytes(prunePlan(df, nets, { kinds: ['container', 'network', 'image', 'volume', 'buildCache'], allImages: true })), 100 + 100 + 50 + 40 + 9);
  });
});
