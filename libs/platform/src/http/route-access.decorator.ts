import { Param, ParseUUIDPipe, SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'homeward:public';
/** Marks a route that needs no access token (login, health, the broker's auth callbacks). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const INTERNAL_ONLY = 'homeward:internal-only';
/** Serves a route only on the internal listener (BROKER_AUTH_PORT); the public port answers 404. */
export const InternalOnly = () => SetMetadata(INTERNAL_ONLY, true);

/** A path parameter that must be a v4 UUID (our ids); anything else is a 400 before any query. */
export const UuidParam = (name: string) => Param(name, new ParseUUIDPipe({ version: '4' }));
