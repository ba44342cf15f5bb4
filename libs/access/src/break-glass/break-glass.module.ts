import { Module } from '@nestjs/common';
import { IdentityModule } from '@homeward/identity';
import { BreakGlassRepository } from './break-glass.repository';
import { BreakGlassService } from './break-glass.service';

/**
 * Break-glass grants, for the patients' routes. Its `BreakGlassAnnouncer` comes from the process
 * (the notification outbox's global module; tests provide their own).
 */
@Module({
  imports: [IdentityModule],
  providers: [BreakGlassService, BreakGlassRepository],
  exports: [BreakGlassService],
})
export class BreakGlassModule {}
