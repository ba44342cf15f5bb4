import { Global, Module } from '@nestjs/common';
import { ExpensiveWork } from './expensive-work';

/** The process's shared bounds on expensive work, one instance for every domain. */
@Global()
@Module({ providers: [ExpensiveWork], exports: [ExpensiveWork] })
export class LimitsModule {}
