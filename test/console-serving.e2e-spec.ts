import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ApiClient,
  AppProcess,
  READY_LINES,
  TestStack,
  createOrganization,
  createUser,
  freePort,
} from '@homeward/testing';

const CONSOLE_ASSETS = resolve(__dirname, '..', 'dist', 'console', 'assets');

describe('the API serves the console (built dist/console) beside /api', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'] });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const get = (path: string, init?: RequestInit) => fetch(`${stack.apiUrl}${path}`, init);

  it('answers / and any console route with index.html, never cached, under a CSP that allows only the console itself', async () => {
    for (const path of ['/', '/patients', '/patients/8d1e1c4e-6f0b-4d7e-9a57-6f2f4c1e2a10?tab=trends']) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('<div id="root"></div>');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
    }
  });

  it('caches hashed assets for a year as immutable, and answers a missing one with 404, not index.html', async () => {
    const script = readdirSync(CONSOLE_ASSETS).find((name) => /^index-[\w-]+\.js$/.test(name));
    expect(script).toBeDefined();
    const asset = await get(`/assets/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await get('/assets/index-00000000.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control') ?? '').not.toContain('immutable');
  });

  it('sends assets compressed to browsers that accept it, plain to others, and never source maps', async () => {
    const script = readdirSync(CONSOLE_ASSETS).find((name) => /^index-[\w-]+\.js$/.test(name));
    const plain = await get(`/assets/${script}`, { headers: { 'Accept-Encoding': 'identity' } });
    const plainBody = await plain.arrayBuffer();
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toContain('Accept-Encoding');
    for (const encoding of ['gzip', 'br']) {
      // Node's fetch decodes what it receives; the length on the wire is the header's.
      const compressed = await get(`/assets/${script}`, { headers: { 'Accept-Encoding': encoding } });
      expect(compressed.status).toBe(200);
      expect(compressed.headers.get('content-encoding')).toBe(encoding);
      expect(compressed.headers.get('content-type')).toMatch(/javascript/);
      expect(compressed.headers.get('vary')).toContain('Accept-Encoding');
      expect(compressed.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(Number(compressed.headers.get('content-length'))).toBeLessThan(plainBody.byteLength / 2);
      expect(Buffer.from(await compressed.arrayBuffer()).equals(Buffer.from(plainBody))).toBe(true);
    }
    const refused = await get(`/assets/${script}`, { headers: { 'Accept-Encoding': 'br;q=0, gzip;q=0' } });
    expect(refused.headers.get('content-encoding')).toBeNull();
    expect(readdirSync(CONSOLE_ASSETS).filter((name) => name.endsWith('.map'))).toEqual([]);
    expect((await get(`/assets/${script}.map`)).status).toBe(404);
  });

  it('loads the charting code only when a chart is shown, not with the first page', () => {
    const html = readFileSync(resolve(CONSOLE_ASSETS, '..', 'index.html'), 'utf8');
    const firstLoad = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((match) => match[1]);
    expect(firstLoad.length).toBeGreaterThan(0);
    const chart = readdirSync(CONSOLE_ASSETS).find((name) => /^vital-chart-[\w-]+\.js$/.test(name));
    expect(chart).toBeDefined();
    expect(firstLoad).not.toContain(chart);
    for (const name of firstLoad) {
      // recharts names its root element's class; no first-load script may carry the library.
      expect(readFileSync(resolve(CONSOLE_ASSETS, name), 'utf8')).not.toContain('recharts-wrapper');
    }
    expect(readFileSync(resolve(CONSOLE_ASSETS, chart ?? ''), 'utf8')).toContain('recharts-wrapper');
  });

  it('keeps /api for the API: unknown API routes are JSON 404s, and Swagger still works', async () => {
    const unknown = await get('/api/no-such-route');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/application\/json/);
    const docs = await get('/api/docs-json');
    expect(docs.status).toBe(200);
    expect(((await docs.json()) as { paths: Record<string, unknown> }).paths).toHaveProperty('/api/auth/me');
    const ui = await get('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-security-policy')).not.toContain("frame-ancestors 'none'");
  });

  it("tells the console who is signed in, and lists only the caller's organisation's colleagues", async () => {
    const org = await createOrganization(stack.database.pool, 'Riverside Care');
    const other = await createOrganization(stack.database.pool, 'Elsewhere');
    const coordinator = await createUser(stack.database.pool, org, 'coordinator');
    const clinician = await createUser(stack.database.pool, org, 'clinician');
    const stranger = await createUser(stack.database.pool, other, 'coordinator');
    const api = await new ApiClient(stack.apiUrl).login(coordinator.email, coordinator.password);

    const me = await api.request('GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: coordinator.id,
      email: coordinator.email,
      displayName: 'Test coordinator',
      role: 'coordinator',
      organization: { id: org, name: 'Riverside Care' },
    });
    const users = await api.request<{ items: Array<{ id: string }> }>('GET', '/api/users');
    expect(users.status).toBe(200);
    expect(users.body.items.map((user) => user.id).sort()).toEqual([coordinator.id, clinician.id].sort());
    expect(users.body.items.map((user) => user.id)).not.toContain(stranger.id);
    expect(users.body.items[0]).not.toHaveProperty('email');
    expect((await new ApiClient(stack.apiUrl).request('GET', '/api/auth/me')).status).toBe(401);
  });

  it('starts without a built console, says so, and serves the API alone', async () => {
    const port = await freePort();
    const api = new AppProcess('api', {
      ...stack.env(),
      PORT: String(port),
      CONSOLE_DIR: '/nonexistent/console',
    });
    try {
      await api.start(READY_LINES.api);
      expect(api.log).toContain('The console is not built');
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/api/health/live`)).status).toBe(200);
    } finally {
      await api.stop();
    }
  });
});
