import createClient, { type Middleware } from 'openapi-fetch';
import { sessionStore } from '../auth/session-store';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** An API answer other than 2xx, with the server's message when it gave one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const authentication: Middleware = {
  onRequest({ request }) {
    const token = sessionStore.token();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    // A refused sign-in is a wrong password, not an expired session.
    if (response.status === 401 && !new URL(request.url).pathname.endsWith('/api/auth/login'))
      sessionStore.expire();
    return response;
  },
};

/** Typed client of the API: paths and bodies come from the OpenAPI document the build generates. */
export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(authentication);

function messageOf(status: number, body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const message = body.message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.join('; ');
  }
  return `The server answered ${status}`;
}

/** The data of a successful answer; throws `ApiError` otherwise (for TanStack Query to report). */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || data === undefined)
    throw new ApiError(response.status, messageOf(response.status, error), error);
  return data;
}
