import { Global, Module } from '@nestjs/common';
import { SocketEmitter } from './socket-emitter';

/** Socket events from any process, over the Redis the process already holds. */
@Global()
@Module({ providers: [SocketEmitter], exports: [SocketEmitter] })
export class RealtimeModule {}
