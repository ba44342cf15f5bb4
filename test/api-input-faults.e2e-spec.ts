import fc from 'fast-check';
import { ApiClient, LiveKitDouble, TestStack, createOrganization, createUser } from '@homeward/testing';

interface OpenApiValues {
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
}
interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: OpenApiValues;
}
interface OpenApiSchema {
  $ref?: string;
  properties?: Record<string, OpenApiValues>;
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: OpenApiSchema }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, OpenApiSchema> };
}

interface Route {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyFields: string[];
  /** Plausible values per parameter or field (examples, defaults, enums), to get past validation. */
  plausible: Record<string, string[]>;
}

function plausibleValues(values: OpenApiValues | undefined): string[] {
  return [...(values?.enum ?? []), values?.example, values?.default]
    .filter((value) => value !== undefined)
    .map(String);
}

/** Every operation of the API's OpenAPI document, so routes added later are covered too. */
function routesOf(document: OpenApiDocument): Route[] {
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters = operation.parameters ?? [];
      let schema = operation.requestBody?.content?.['application/json']?.schema;
      if (schema?.$ref) schema = document.components?.schemas?.[schema.$ref.split('/').pop()!];
      const properties = schema?.properties ?? {};
      const plausible: Record<string, string[]> = {};
      for (const parameter of parameters) plausible[parameter.name] = plausibleValues(parameter.schema);
      for (const [name, property] of Object.entries(properties)) plausible[name] = plausibleValues(property);
      routes.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodyFields: Object.keys(properties),
        plausible,
      });
    }
  }
  return routes;
}

/** Percent-encodes every byte outside the unreserved set; a lone surrogate goes out as U+FFFD's bytes. */
function encode(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9._~-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** Values that have broken APIs before: NUL, surrogates, huge and odd numbers, impossible dates. */
const awkward = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\udbff',
  '1e20',
  '1e400',
  '-1',
  '-0',
  'NaN',
  'Infinity',
  '9007199254740993',
  '99999999999999999999999',
  '0x10',
  '1.5',
  '',
  ' ',
  '%',
  '%00',
  '__proto__',
  'constructor',
  'null',
  '[]',
  '{}',
  "' OR 1=1 --",
  '2026-02-30T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:60Z',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-4fff-bfff-ffffffffffff',
  '😀',
  'ａｂｃ',
);

/** Requests per documented route in the property test; about 10 s for the whole API. */
const RUNS_PER_ROUTE = 100;

describe('API input faults: client mistakes answer 4xx, never 500', () => {
  let stack: TestStack;
  let livekit: LiveKitDouble;
  let api: ApiClient;
  let patientId: string;
  const raw = (path: string, init: RequestInit = {}) => fetch(`${stack.apiUrl}${path}`, init);
  const json = (token?: string) => ({
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  });
  const unhandled = () =>
    stack
      .app('api')
      .log.split('\n')
      .filter((line) => line.includes('Unhandled error'));

  beforeAll(async () => {
    // Video visits configured (against a LiveKit RoomService double), so their routes answer
    // for their input rather than 503 video_not_configured.
    livekit = await LiveKitDouble.start();
    stack = await TestStack.start({ apps: ['api'], env: { LOGIN_RATE_LIMIT: '1000000', ...livekit.env() } });
    const org = await createOrganization(stack.database.pool);
    const coordinator = await createUser(stack.database.pool, org, 'coordinator');
    api = await new ApiClient(stack.apiUrl).login(coordinator.email, coordinator.password);
    patientId = (await api.createPatient()).id;
  });

  afterAll(async () => {
    await stack?.stop();
    await livekit?.stop();
  });

  it.each([
    ['70 KB', 70 * 1024],
    ['1 MB', 1024 * 1024],
    ['10 MB', 10 * 1024 * 1024],
  ])('answers 413 for a %s body, on login and on authenticated routes alike', async (_, size) => {
    const body = JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(size) });
    for (const [path, token] of [
      ['/api/auth/login', undefined],
      ['/api/patients', api.accessToken],
      ['/api/patients', undefined],
    ] as const) {
      const response = await raw(path, { method: 'POST', headers: json(token), body });
      expect({ path, status: response.status }).toEqual({ path, status: 413 });
      expect(await response.json()).toMatchObject({ statusCode: 413, code: 'entity_too_large' });
    }
    expect(unhandled()).toEqual([]);
  });

  it('answers 400 for a small body nested thousands of levels deep, before sign-in and after', async () => {
    // 6 KB: far under the size limit, but deep enough to overflow a recursive validator's stack.
    const body = `{"email":"a@b.test","password":${'['.repeat(3000)}${']'.repeat(3000)}}`;
    for (const [path, token] of [
      ['/api/auth/login', undefined],
      ['/api/patients', api.accessToken],
    ] as const) {
      const response = await raw(path, { method: 'POST', headers: json(token), body });
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(await response.json()).toMatchObject({ statusCode: 400, code: 'input_too_deep' });
    }
    expect(unhandled()).toEqual([]);
  });

  it('answers 400 naming the field for text PostgreSQL cannot store, in body, query and path', async () => {
    const create = (fields: Record<string, string>) =>
      api.request<{ code: string; message: string }>('POST', '/api/patients', {
        givenName: 'Ada',
        familyName: 'Lovelace',
        birthDate: '1950-04-01',
        ...fields,
      });
    const nul = await create({ givenName: 'Ma\u0000ria' });
    expect(nul.status).toBe(400);
    expect(nul.body).toMatchObject({
      code: 'unstorable_text',
      message: expect.stringContaining('/givenName'),
    });
    const surrogate = await create({ familyName: 'Alvarez\ud800' });
    expect(surrogate.status).toBe(400);
    expect(surrogate.body).toMatchObject({
      code: 'unstorable_text',
      message: expect.stringContaining('/familyName'),
    });
    const key = await create({ 'note\u0000': 'x' });
    expect(key.status).toBe(400);
    expect(key.body.code).toBe('unstorable_text');

    const query = await api.request<{ code: string; message: string }>(
      'GET',
      `/api/patients/${patientId}/vitals?type=%00`,
    );
    expect(query.status).toBe(400);
    expect(query.body).toMatchObject({ code: 'unstorable_text', message: expect.stringContaining('/type') });
    const path = await api.request<{ code: string }>('GET', '/api/patients/a%00b');
    expect(path.status).toBe(400);
    expect(path.body.code).toBe('unstorable_text');
    const login = await new ApiClient(stack.apiUrl).request<{ code: string }>('POST', '/api/auth/login', {
      email: 'a\u0000@b.test',
      password: 'x',
    });
    expect(login.status).toBe(400);
    expect(login.body.code).toBe('unstorable_text');

    const { rows } = await stack.database.pool.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM patients WHERE given_name LIKE 'Ma%'",
    );
    expect(rows[0].n).toBe('0');
    expect(unhandled()).toEqual([]);
  });

  it('answers 400 for a future birth date and for names with text-direction or invisible characters', async () => {
    const create = (fields: Record<string, string>) =>
      api.request<{ message: string[] }>('POST', '/api/patients', {
        givenName: 'Ada',
        familyName: 'Lovelace',
        birthDate: '1950-04-01',
        ...fields,
      });
    const future = await create({ birthDate: '2999-01-01' });
    expect(future.status).toBe(400);
    expect(future.body.message).toContain('birthDate must not be in the future');
    for (const [field, value] of [
      ['givenName', 'Ada\u202Eecila'],
      ['familyName', 'Love\u2066lace'],
      ['givenName', 'A\u200Bda'],
      ['familyName', '\uFEFFLovelace'],
    ]) {
      const refused = await create({ [field]: value });
      expect({ field, status: refused.status }).toEqual({ field, status: 400 });
      expect(refused.body.message).toEqual([
        expect.stringContaining(`${field} contains an invisible or text-direction`),
      ]);
    }
    const device = await api.request('POST', `/api/patients/${patientId}/devices`, {
      kind: 'bp_cuff',
      label: 'cuff\u202E',
    });
    expect(device.status).toBe(400);
    expect((await create({ givenName: 'María José', familyName: 'محمد' })).status).toBe(201);
    const { rows } = await stack.database.pool.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM patients WHERE birth_date > now() OR given_name ~ '[\u200B\u202E]' OR family_name ~ '[\u2066\uFEFF]'",
    );
    expect(rows[0].n).toBe('0');
    expect(unhandled()).toEqual([]);
  });

  it('answers 400 for out-of-range numbers in the query', async () => {
    for (const query of [
      'offset=1e20',
      'offset=1e21',
      'offset=9007199254740993',
      'limit=1e400',
      'offset=-1',
    ]) {
      const response = await api.request<{ statusCode: number }>('GET', `/api/patients?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
    }
    expect((await api.request('GET', '/api/patients?offset=9007199254740991')).status).toBe(200);
    expect(unhandled()).toEqual([]);
  });

  it('answers no 5xx to generated bodies and query strings on every documented route, with and without a token', async () => {
    const document = (await (await raw('/api/docs-json')).json()) as OpenApiDocument;
    // Signing out ends the suite's session: those routes go last, so the others see a live token.
    const endsSession = (route: Route) => route.path.startsWith('/api/auth/logout');
    const routes = routesOf(document).sort((a, b) => Number(endsSession(a)) - Number(endsSession(b)));
    expect(routes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining(['POST /api/auth/login', 'POST /api/patients', 'GET /api/alerts']),
    );
    const seen: string[] = [];
    for (const route of routes) {
      const text = fc.oneof(
        { weight: 3, arbitrary: awkward },
        { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
      );
      const value = fc.oneof(
        text,
        fc.integer(),
        fc.double(),
        fc.constantFrom(1e20, -1, 0, 2 ** 53 + 2, 1e308, null, true, [], {}),
        fc.array(text, { maxLength: 2 }),
        fc.dictionary(text, text, { maxKeys: 2 }),
      );
      // Mostly plausible values, so that requests get past validation to the handler and SQL;
      // sometimes one with a NUL, a surrogate or an exponent appended; otherwise anything.
      const valueFor = <T>(name: string, anything: fc.Arbitrary<T>): fc.Arbitrary<T | string> => {
        const plausible = route.plausible[name] ?? [];
        if (plausible.length === 0) return anything;
        return fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...plausible) },
          {
            weight: 1,
            arbitrary: fc
              .tuple(
                fc.constantFrom(...plausible),
                fc.constantFrom('\u0000', '\ud800', '0', 'e20', '0000000'),
              )
              .map(([start, end]) => start + end),
          },
          { weight: 3, arbitrary: anything },
        );
      };
      const body = fc.oneof(
        {
          weight: 4,
          arbitrary: fc
            .tuple(
              fc.record(
                Object.fromEntries(route.bodyFields.map((field) => [field, valueFor(field, value)])),
                {
                  requiredKeys: [],
                },
              ),
              fc.option(fc.dictionary(text, value, { minKeys: 1, maxKeys: 2 }), { freq: 4, nil: {} }),
            )
            .map(([known, extra]) => JSON.stringify({ ...extra, ...known })),
        },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(undefined, '', '{', '{"a":', '\u0000', `"${'x'.repeat(70_000)}"`),
        },
      );
      const query = fc.array(
        fc.oneof(
          fc.tuple(text, text),
          ...route.queryParams.map((name) => fc.tuple(fc.constant(name), valueFor(name, text))),
        ),
        { maxLength: 4 },
      );
      const params = fc.tuple(
        ...route.pathParams.map(() => fc.oneof(fc.constant(patientId), fc.uuid({ version: 4 }), text)),
      );
      const contentType = fc.oneof(
        { weight: 6, arbitrary: fc.constant('application/json') },
        fc.constantFrom(
          'application/json; charset=utf-8',
          'application/json; charset=latin1',
          'application/json; charset=utf-16',
          'application/x-www-form-urlencoded',
          'text/plain',
          undefined,
        ),
      );
      const token = fc.oneof(
        { weight: 4, arbitrary: fc.constant<string | undefined>(api.accessToken) },
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constant('forged.token.value') },
      );

      await fc.assert(
        fc.asyncProperty(
          params,
          query,
          body,
          contentType,
          token,
          async (values, pairs, payload, type, bearer) => {
            let path = route.path;
            route.pathParams.forEach((name, i) => (path = path.replace(`{${name}}`, encode(values[i]))));
            const search = pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
            const headers: Record<string, string> = {};
            if (type && payload !== undefined) headers['content-type'] = type;
            if (bearer) headers.authorization = `Bearer ${bearer}`;
            const response = await raw(`${path}${search ? `?${search}` : ''}`, {
              method: route.method,
              headers,
              body: route.method === 'GET' ? undefined : payload,
            });
            await response.arrayBuffer();
            seen.push(`${route.method} ${route.path} ${response.status}`);
            return response.status < 500;
          },
        ),
        { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
    }
    expect(seen.length).toBe(routes.length * RUNS_PER_ROUTE);
    // Not vacuous: the generated requests reach handlers and are refused for their content.
    expect(seen.some((entry) => entry.endsWith(' 400'))).toBe(true);
    expect(seen.some((entry) => entry.endsWith(' 413'))).toBe(true);
    expect(unhandled()).toEqual([]);
  });
});
