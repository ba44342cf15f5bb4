export * from './env.dto';
export * from './config';
export * from './config.module';
