import { availableParallelism } from 'node:os';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { ConcurrencyLimiter, LimiterFullError } from '@homeward/platform';
import { SignInBusyError } from './sign-in.errors';
import { hashPassword, verifyPassword } from './password';

/**
 * argon2id, bounded: at most PASSWORD_HASH_CONCURRENCY hashes at once (the cores by default) and
 * PASSWORD_HASH_QUEUE waiting. Unbounded, 100 bogus sign-ins from 100 addresses, each under its
 * address's limit, made a real sign-in wait 18.8 s; bounded, the flood gets 429 and Retry-After
 * while the queue a clinician joins stays short.
 */
@Injectable()
export class PasswordHasher {
  private readonly limiter: ConcurrencyLimiter;

  constructor(config: AppConfig) {
    this.limiter = new ConcurrencyLimiter(
      'password hashing',
      config.PASSWORD_HASH_CONCURRENCY ?? availableParallelism(),
      config.PASSWORD_HASH_QUEUE,
    );
  }

  hash(password: string): Promise<string> {
    return this.bounded(() => hashPassword(password));
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.bounded(() => verifyPassword(hash, password));
  }

  private async bounded<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await this.limiter.run(task);
    } catch (error) {
      if (error instanceof LimiterFullError) throw new SignInBusyError();
      throw error;
    }
  }
}
