/** A small HTTP client for the API under test. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private token?: string,
    /** The refresh token the sign-in answered, for tests of sessions. */
    readonly refreshToken?: string,
  ) {}

  async login(email: string, password: string): Promise<ApiClient> {
    const response = await this.request<{ accessToken: string; refreshToken: string }>(
      'POST',
      '/api/auth/login',
      { email, password },
    );
    if (response.status !== 200)
      throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
    return new ApiClient(this.baseUrl, response.body.accessToken, response.body.refreshToken);
  }

  get accessToken(): string {
    if (!this.token) throw new Error('not logged in');
    return this.token;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T };
  }

  /**
   * Registers a patient with consent to monitoring given at registration and, when this user's
   * role may record consents (not an admin), consent to video visits; `consent: false` for
   * neither. The patient joins `careTeamIds`, or else the registrar's own care teams (an
   * admin's patient then stays unassigned).
   */
  async createPatient(
    givenName = 'Ada',
    familyName = 'Lovelace',
    options: { consent?: boolean; careTeamIds?: string[] } = {},
  ): Promise<{ id: string; careTeamIds: string[] }> {
    const consent = options.consent ?? true;
    const response = await this.request<{ id: string; careTeamIds: string[] }>('POST', '/api/patients', {
      givenName,
      familyName,
      birthDate: '1950-04-01',
      ...(consent ? { monitoringConsent: 'verbal' } : {}),
      ...(options.careTeamIds ? { careTeamIds: options.careTeamIds } : {}),
    });
    if (response.status !== 201)
      throw new Error(`create patient: ${response.status} ${JSON.stringify(response.body)}`);
    if (consent) {
      const video = await this.request('POST', `/api/patients/${response.body.id}/consents`, {
        scope: 'video_visits',
        method: 'verbal',
      });
      if (video.status !== 201 && video.status !== 403)
        throw new Error(`record video consent: ${video.status} ${JSON.stringify(video.body)}`);
    }
    return response.body;
  }

  async registerDevice(
    patientId: string,
    kind = 'bp_cuff',
  ): Promise<{ id: string; secret: string; mqttUrl: string }> {
    const response = await this.request<{ id: string; secret: string; mqttUrl: string }>(
      'POST',
      `/api/patients/${patientId}/devices`,
      { kind },
    );
    if (response.status !== 201)
      throw new Error(`register device: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }
}
