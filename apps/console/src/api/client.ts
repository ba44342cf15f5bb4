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

/** Routes where a 401 is an answer about credentials, not an expired session. */
const CREDENTIAL_ROUTES = [
  '/api/auth/login',
  '/api/auth/refresh',
  '/api/auth/logout',
  '/api/auth/logout-all',
  '/api/auth/oidc/exchange',
];
/** A copy of each request as sent, to send again once the session is refreshed. */
const copies = new WeakMap<Request, Request>();

const authentication: Middleware = {
  onRequest({ request }) {
    const token = sessionStore.token();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    copies.set(request, request.clone());
    return request;
  },
  /**
   * A 401 means the access token ran out or the session ended: refresh (once, shared with every
   * other request and tab) and send the request again with the new token. When the refresh is
   * refused the store ends the session and the console asks to sign in, over the same page.
   */
  async onResponse({ request, response }) {
    const copy = copies.get(request);
    copies.delete(request);
    if (response.status !== 401 || !copy) return response;
    if (CREDENTIAL_ROUTES.some((route) => new URL(request.url).pathname.endsWith(route))) return response;
    const sent = request.headers.get('Authorization');
    // Another request may have refreshed meanwhile: then the current token is already new.
    const fresh = sent !== `Bearer ${sessionStore.token()}` || (await sessionStore.refresh());
    const token = sessionStore.token();
    if (!fresh || !token) return response;
    copy.headers.set('Authorization', `Bearer ${token}`);
    const retried = await fetch(copy);
    if (retried.status === 401) sessionStore.expire();
    return retried;
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

/** Resolves when the answer is a success without a body (204); throws `ApiError` otherwise. */
export async function succeed(call: Promise<{ error?: unknown; response: Response }>): Promise<void> {
  const { error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, messageOf(response.status, error), error);
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

/** Resolves when a call that answers no body (204) succeeded; throws `ApiError` otherwise. */
export async function expectNoContent(call: Promise<{ error?: unknown; response: Response }>): Promise<void> {
  const { error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, messageOf(response.status, error), error);
}
