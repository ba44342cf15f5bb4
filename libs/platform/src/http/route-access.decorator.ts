import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'homeward:public';
/** Marks a route that needs no access token (login, health, the broker's auth callbacks). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const INTERNAL_ONLY = 'homeward:internal-only';
/** Serves a route only on the internal listener (BROKER_AUTH_PORT); the public port answers 404. */
export const InternalOnly = () => SetMetadata(INTERNAL_ONLY, true);
