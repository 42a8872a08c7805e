// A registry HTTP API v2 client over Node's http/https. Written here rather than taken from npm:
// the registry clients found there either ignore the Bearer challenge's realm/service/scope or
// fetch one token for everything, and none reads certs.d. This one answers a 401 the way the docker
// CLI does: Basic with the stored credentials, or a token from the challenge's realm for the
// challenge's scope (cached per scope till it expires). Credentials go only in Authorization
// headers to the registry and its token realm, never into an error's text.
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { RegistryCredentials } from '../registryCredentials';
import { lastOf, nextLink, parseChallenges, type Challenge } from './challenge';
import { DEFAULT_CERTS_DIR, isLoopback, trustFor } from './tlsTrust';

export type RegistryErrorKind =
  /** Nothing answers (refused, DNS, reset, timeout). */
  | 'unreachable'
  /** HTTPS answered with a certificate this machine does not trust. */
  | 'tls'
  /** Credentials are needed, or those given were refused. */
  | 'unauthorized'
  /** Logged in, but not allowed to do this. */
  | 'denied'
  | 'notFound'
  | 'deleteDisabled'
  /** Something that is not a v2 registry, or an answer that makes no sense. */
  | 'protocol';

export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
    readonly details: { host: string; status?: number; code?: string; hasCredentials?: boolean; fromCertsDir?: boolean } = { host: '' },
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

export const MANIFEST_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerV2: 'application/vnd.docker.distribution.manifest.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
} as const;
const ACCEPT = Object.values(MANIFEST_TYPES).join(', ');

export interface Page {
  items: string[];
  /** Where the next page starts (the `last` of the Link header), when there is one. */
  next?: string;
}

export interface ManifestInfo {
  digest: string;
  mediaType: string;
  /** The manifest's own bytes. */
  manifestSize: number;
  /** Config plus layers as stored (compressed), for an image manifest. */
  size?: number;
  /** The image config's `created`, for an image manifest. */
  created?: string;
  /** "linux/amd64", "linux/arm64/v8"…, for an index or manifest list. */
  platforms?: { platform: string; digest: string; size: number }[];
}

export interface RegistryClientOptions {
  /** Asked once per client when a registry first asks for credentials. */
  credentials?: () => Promise<RegistryCredentials | undefined>;
  /** The certs.d folder (default /etc/docker/certs.d; tests use their own). */
  certsDir?: string;
  timeoutMs?: number;
  /** Called with each request's method and URL path (never headers), for the log. */
  log?: (line: string) => void;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const MAX_BODY = 8 * 1024 * 1024;

/** How many repositories or tags a row's expansion (or Load more) asks for: one page, never everything. */
export const PAGE_SIZE = 100;

/** The host that serves a registry name's API: Docker Hub's images live on registry-1.docker.io. */
export function apiHost(host: string): string {
  return ['docker.io', 'index.docker.io'].includes(host) ? 'registry-1.docker.io' : host;
}

/** "team/app" → the scope a token for pulling it needs. */
export function repositoryScope(repo: string, actions: string): string {
  return `repository:${repo}:${actions}`;
}

export class RegistryClient {
  private scheme: Promise<'https' | 'http'> | undefined;
  private agents = new Map<string, Promise<http.Agent>>();
  private basic: string | undefined;
  private bearer: { realm: string; service?: string } | undefined;
  private tokens = new Map<string, { token: string; expires: number }>();
  private creds: Promise<RegistryCredentials | undefined> | undefined;
  private fromCertsDir = false;
  /** Whether credentials were found for this registry (an error then says they were refused, not missing). */
  private hasCredentials = false;
  /** Hosts whose certificate needed the system's CA bundle beyond Node's roots. */
  private readonly systemTrust = new Set<string>();

  constructor(
    /** host[:port] as in an image reference: "127.0.0.1:5000", "registry.example.com". */
    readonly host: string,
    private readonly options: RegistryClientOptions = {},
  ) {}

  /** GET /v2/: resolves when the registry answers and accepts these credentials (or needs none). */
  async ping(): Promise<void> {
    await this.call('GET', '/v2/', undefined, {});
  }

  /** Checks credentials as `docker login` does: /v2/, answering its challenge with exactly these. */
  async verify(): Promise<void> {
    const creds = await this.credentials();
    const probe = await this.send('GET', '/v2/', {});
    if (probe.status !== 401) return this.check(probe, '/v2/');
    const [c] = this.preferred(parseChallenges(header(probe.headers['www-authenticate'])));
    if (!c) throw this.error('protocol', 'the registry asked for credentials without saying how', probe.status);
    if (!creds) throw this.error('unauthorized', 'the registry needs credentials', 401);
    if (c.scheme === 'bearer') {
      this.bearer = { realm: c.params.realm, service: c.params.service };
      await this.token('');
    } else {
      this.basic = basicOf(creds);
      await this.call('GET', '/v2/', undefined, {});
    }
  }

  async catalog(n = 100, last?: string): Promise<Page> {
    const q = new URLSearchParams({ n: String(n) });
    if (last) q.set('last', last);
    const a = await this.call('GET', `/v2/_catalog?${q}`, 'registry:catalog:*', {});
    const body = json<{ repositories?: string[] | null }>(a, this.host);
    return { items: body.repositories ?? [], next: page(a) };
  }

  async tags(repo: string, n = 100, last?: string): Promise<Page> {
    const q = new URLSearchParams({ n: String(n) });
    if (last) q.set('last', last);
    const a = await this.call('GET', `/v2/${repo}/tags/list?${q}`, repositoryScope(repo, 'pull'), {});
    const body = json<{ tags?: string[] | null }>(a, this.host);
    return { items: body.tags ?? [], next: page(a) };
  }

  /** Every tag (page by page); for a delete, which must say which tags go with the manifest. */
  async allTags(repo: string): Promise<string[]> {
    const out: string[] = [];
    let last: string | undefined;
    for (;;) {
      const p = await this.tags(repo, 1000, last);
      out.push(...p.items);
      if (!p.next || p.items.length === 0) return out;
      last = p.next;
    }
  }

  /** The digest a tag points to (a HEAD, no body). */
  async digest(repo: string, reference: string): Promise<string> {
    const a = await this.call('HEAD', `/v2/${repo}/manifests/${reference}`, repositoryScope(repo, 'pull'), { accept: ACCEPT });
    const d = header(a.headers['docker-content-digest']);
    if (d) return d;
    return this.manifest(repo, reference).then((m) => m.digest);
  }

  async manifest(repo: string, reference: string): Promise<ManifestInfo> {
    const a = await this.call('GET', `/v2/${repo}/manifests/${reference}`, repositoryScope(repo, 'pull'), { accept: ACCEPT });
    const digest = header(a.headers['docker-content-digest']) || `sha256:${createHash('sha256').update(a.body).digest('hex')}`;
    const m = json<ManifestJson>(a, this.host);
    const mediaType = m.mediaType || header(a.headers['content-type'])?.split(';')[0] || '';
    const info: ManifestInfo = { digest, mediaType, manifestSize: a.body.length };
    if (m.manifests) {
      info.platforms = m.manifests.map((d) => ({ platform: platformText(d.platform), digest: d.digest, size: d.size }));
      return info;
    }
    if (m.config) {
      info.size = (m.config.size ?? 0) + (m.layers ?? []).reduce((s, l) => s + (l.size ?? 0), 0);
      try {
        const config = json<{ created?: string }>(await this.blob(repo, m.config.digest), this.host);
        info.created = config.created;
      } catch (err) {
        // A manifest whose config cannot be read still has a digest and size worth showing.
        this.options.log?.(`config blob of ${repo}@${digest}: ${(err as Error).message}`);
      }
    }
    return info;
  }

  /** Deletes a manifest by digest (every tag pointing to it goes with it). */
  async deleteManifest(repo: string, digest: string): Promise<void> {
    await this.call('DELETE', `/v2/${repo}/manifests/${digest}`, repositoryScope(repo, 'delete'), {});
  }

  /** Uploads a blob in one monolithic PUT (tests and benches seed registries with it). */
  async putBlob(repo: string, data: Buffer): Promise<string> {
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    const scope = repositoryScope(repo, 'pull,push');
    const start = await this.call('POST', `/v2/${repo}/blobs/uploads/`, scope, { 'content-length': '0' });
    const location = header(start.headers.location);
    if (!location) throw this.error('protocol', 'the registry gave no upload location', start.status);
    const url = new URL(location, 'http://placeholder.invalid');
    url.searchParams.set('digest', digest);
    await this.call('PUT', `${url.pathname}${url.search}`, scope, { 'content-type': 'application/octet-stream', 'content-length': String(data.length) }, data);
    return digest;
  }

  async putManifest(repo: string, reference: string, mediaType: string, body: Buffer): Promise<string> {
    const a = await this.call('PUT', `/v2/${repo}/manifests/${reference}`, repositoryScope(repo, 'pull,push'), { 'content-type': mediaType, 'content-length': String(body.length) }, body);
    return header(a.headers['docker-content-digest']) ?? `sha256:${createHash('sha256').update(body).digest('hex')}`;
  }

  dispose(): void {
    for (const a of this.agents.values()) void a.then((agent) => agent.destroy());
    this.agents.clear();
  }

  private async blob(repo: string, digest: string): Promise<Answer> {
    const a = await this.call('GET', `/v2/${repo}/blobs/${digest}`, repositoryScope(repo, 'pull'), {}, undefined, true);
    return a;
  }

  private credentials(): Promise<RegistryCredentials | undefined> {
    this.creds ??= (this.options.credentials ? this.options.credentials() : Promise.resolve(undefined)).then((c) => {
      this.hasCredentials = !!c && !!(c.username || c.password || c.identitytoken);
      return c;
    });
    return this.creds;
  }

  /** One API call, answering one 401 challenge. */
  private async call(method: string, pathAndQuery: string, scope: string | undefined, headers: Record<string, string>, body?: Buffer, followRedirects = false): Promise<Answer> {
    let a = await this.send(method, pathAndQuery, { ...headers, ...(await this.authorization(scope)) }, body, followRedirects);
    if (a.status === 401) {
      const challenges = this.preferred(parseChallenges(header(a.headers['www-authenticate'])));
      const c = challenges[0];
      if (!c) throw this.error('unauthorized', 'the registry refused the request', 401);
      const creds = await this.credentials();
      if (c.scheme === 'bearer') {
        if (!c.params.realm) throw this.error('protocol', 'the registry asked for a token without saying where to get it', 401);
        this.bearer = { realm: c.params.realm, service: c.params.service };
        const wanted = c.params.scope ?? scope ?? '';
        this.tokens.delete(wanted);
        const auth = { authorization: `Bearer ${await this.token(wanted)}` };
        a = await this.send(method, pathAndQuery, { ...headers, ...auth }, body, followRedirects);
      } else if (c.scheme === 'basic') {
        if (!creds || (!creds.username && !creds.password)) throw this.error('unauthorized', 'the registry needs credentials', 401);
        if (this.basic) throw this.error('unauthorized', 'the registry refused the credentials', 401);
        this.basic = basicOf(creds);
        a = await this.send(method, pathAndQuery, { ...headers, authorization: this.basic }, body, followRedirects);
      }
      if (a.status === 401) throw this.error('unauthorized', creds ? 'the registry refused the credentials' : 'the registry needs credentials', 401);
    }
    await this.check(a, pathAndQuery);
    return a;
  }

  private async check(a: Answer, what: string): Promise<void> {
    if (a.status >= 200 && a.status < 400) return;
    const { code, message } = registryErrorOf(a.body);
    if (a.status === 401) throw this.error('unauthorized', 'the registry refused the credentials', 401, code);
    if (a.status === 403) throw this.error('denied', message || 'access denied', 403, code);
    if (a.status === 404) throw this.error('notFound', message || `${what.split('?')[0]} was not found`, 404, code);
    if (a.status === 405 || code === 'UNSUPPORTED') throw this.error('deleteDisabled', 'this registry has deletion disabled', a.status, code);
    throw this.error('protocol', message || `the registry answered HTTP ${a.status}`, a.status, code);
  }

  private preferred(challenges: Challenge[]): Challenge[] {
    return [...challenges.filter((c) => c.scheme === 'bearer'), ...challenges.filter((c) => c.scheme === 'basic')];
  }

  private async authorization(scope: string | undefined): Promise<Record<string, string>> {
    if (this.basic) return { authorization: this.basic };
    if (this.bearer && scope !== undefined) {
      const cached = this.tokens.get(scope);
      if (cached && cached.expires > Date.now()) return { authorization: `Bearer ${cached.token}` };
      // A scope not seen yet: ask the realm now rather than take a 401 first.
      return { authorization: `Bearer ${await this.token(scope)}` };
    }
    return {};
  }

  /** A token from the realm for `scope` ('' for none, as a log-in asks), cached till it expires. */
  private async token(scope: string): Promise<string> {
    const cached = this.tokens.get(scope);
    if (cached && cached.expires > Date.now()) return cached.token;
    const { realm, service } = this.bearer!;
    const creds = await this.credentials();
    let realmUrl: URL;
    try {
      realmUrl = new URL(realm);
    } catch {
      throw this.error('protocol', 'the registry named a token realm that is not a URL', 401);
    }
    const q = new URLSearchParams();
    if (service) q.set('service', service);
    for (const s of scope.split(' ').filter(Boolean)) q.append('scope', s);
    let a: Answer;
    if (creds?.identitytoken) {
      // An identity token is an OAuth2 refresh token: POSTed, as the CLI does.
      q.set('grant_type', 'refresh_token');
      q.set('refresh_token', creds.identitytoken);
      q.set('client_id', 'berth');
      const form = Buffer.from(q.toString());
      a = await this.sendTo(realmUrl, 'POST', { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(form.length) }, form);
    } else {
      for (const [k, v] of q) realmUrl.searchParams.append(k, v);
      const auth: Record<string, string> = creds && (creds.username || creds.password) ? { authorization: basicOf(creds) } : {};
      a = await this.sendTo(realmUrl, 'GET', auth);
    }
    if (a.status === 401 || a.status === 403) throw this.error('unauthorized', creds ? 'the registry refused the credentials' : 'the registry needs credentials', a.status);
    if (a.status !== 200) throw this.error('protocol', `the token server answered HTTP ${a.status}`, a.status);
    const body = json<{ token?: string; access_token?: string; expires_in?: number }>(a, this.host);
    const token = body.token || body.access_token;
    if (!token) throw this.error('protocol', 'the token server sent no token', a.status);
    // The spec's default lifetime is 60 s; a few seconds are kept in hand.
    const lifetime = Math.max(10, body.expires_in ?? 60) - 5;
    this.tokens.set(scope, { token, expires: Date.now() + lifetime * 1000 });
    return token;
  }

  private error(kind: RegistryErrorKind, message: string, status?: number, code?: string): RegistryError {
    return new RegistryError(kind, `${this.host}: ${message}`, { host: this.host, status, code, hasCredentials: this.hasCredentials, fromCertsDir: this.fromCertsDir });
  }

  /** The registry's scheme: HTTPS, or HTTP for a loopback registry that does not speak TLS (as the engine does). */
  private schemeFor(): Promise<'https' | 'http'> {
    this.scheme ??= (async () => {
      try {
        await this.raw(new URL(`https://${this.host}/v2/`), 'GET', {});
        return 'https';
      } catch (err) {
        if (isLoopback(this.host) && speaksPlainHttp(err)) return 'http';
        this.scheme = undefined;
        throw err;
      }
    })();
    return this.scheme;
  }

  private async send(method: string, pathAndQuery: string, headers: Record<string, string>, body?: Buffer, followRedirects = false): Promise<Answer> {
    const scheme = await this.schemeFor();
    let url = new URL(`${scheme}://${this.host}${pathAndQuery}`);
    let a = await this.sendTo(url, method, headers, body);
    for (let hops = 0; followRedirects && hops < 5 && a.status >= 300 && a.status < 400 && a.headers.location; hops++) {
      const next = new URL(a.headers.location, url);
      // Credentials stay with the registry: a blob store elsewhere gets a signed URL, not our header.
      const h = next.host === url.host ? headers : Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'authorization'));
      url = next;
      a = await this.sendTo(url, 'GET', h);
    }
    return a;
  }

  private async sendTo(url: URL, method: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
    this.options.log?.(`${method} ${url.protocol}//${url.host}${url.pathname}`);
    return this.raw(url, method, headers, body);
  }

  private agent(url: URL): Promise<http.Agent> {
    const key = `${url.protocol}//${url.host}`;
    let a = this.agents.get(key);
    if (!a) {
      const level = this.systemTrust.has(url.host) ? 'system' : 'default';
      a =
        url.protocol === 'https:'
          ? trustFor(url.host, this.options.certsDir ?? DEFAULT_CERTS_DIR, level).then((t) => {
              if (url.host === this.host) this.fromCertsDir = t.fromCertsDir;
              return new https.Agent({ keepAlive: true, ca: t.ca, cert: t.cert, key: t.key });
            })
          : Promise.resolve(new http.Agent({ keepAlive: true }));
      this.agents.set(key, a);
    }
    return a;
  }

  private async raw(url: URL, method: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
    try {
      return await this.rawOnce(url, method, headers, body);
    } catch (err) {
      // Node's own roots did not do: once more with the system's bundle added (see trustFor).
      if (!(err instanceof RegistryError) || err.kind !== 'tls' || this.systemTrust.has(url.host)) throw err;
      this.systemTrust.add(url.host);
      const key = `${url.protocol}//${url.host}`;
      void this.agents.get(key)?.then((a) => a.destroy());
      this.agents.delete(key);
      return this.rawOnce(url, method, headers, body);
    }
  }

  private async rawOnce(url: URL, method: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
    const agent = await this.agent(url);
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise<Answer>((resolve, reject) => {
      const req = lib.request(url, { method, headers: { 'user-agent': 'berth', ...headers }, agent, timeout: this.options.timeoutMs ?? 15_000 }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) {
            req.destroy(this.error('protocol', 'the registry sent more than 8 MB where a small document was expected'));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => reject(this.networkError(err, url)));
      req.end(body);
    });
  }

  private networkError(err: Error, url: URL): Error {
    if (err instanceof RegistryError) return err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (url.protocol === 'https:' && isCertificateError(code)) {
      return this.error('tls', `the certificate of ${url.host} is not trusted (${err.message})`, undefined, code);
    }
    // speaksPlainHttp reads the original error's code.
    return Object.assign(this.error('unreachable', `${url.host} cannot be reached (${err.message})`, undefined, code), { cause: err });
  }
}

function speaksPlainHttp(err: unknown): boolean {
  const code = (err as RegistryError).details?.code ?? '';
  return code === 'EPROTO' || code.startsWith('ERR_SSL_') || code === 'ECONNRESET';
}

function isCertificateError(code: string): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH/.test(code);
}

function basicOf(creds: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${creds.username ?? ''}:${creds.password ?? ''}`, 'utf8').toString('base64')}`;
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

function page(a: Answer): string | undefined {
  const link = nextLink(header(a.headers.link));
  return link ? lastOf(link) : undefined;
}

function json<T>(a: Answer, host: string): T {
  try {
    return JSON.parse(a.body.toString('utf8')) as T;
  } catch {
    throw new RegistryError('protocol', `${host}: the registry's answer is not JSON`, { host, status: a.status });
  }
}

function registryErrorOf(body: Buffer): { code?: string; message?: string } {
  try {
    const e = (JSON.parse(body.toString('utf8')) as { errors?: { code?: string; message?: string }[] }).errors?.[0];
    return { code: e?.code, message: e?.message };
  } catch {
    return {};
  }
}

interface ManifestJson {
  mediaType?: string;
  config?: { digest: string; size?: number };
  layers?: { size?: number }[];
  manifests?: { digest: string; size: number; platform?: { os?: string; architecture?: string; variant?: string } }[];
}

export function platformText(p: { os?: string; architecture?: string; variant?: string } | undefined): string {
  if (!p) return 'unknown';
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}
