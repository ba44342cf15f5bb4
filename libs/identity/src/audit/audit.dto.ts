import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class AuditVerifyQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'From this instant (inclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'Up to this instant (exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class AuditBrokenRowDto {
  @ApiProperty({ description: 'The audit row id' }) id!: string;
  @ApiProperty({ description: 'When the row says it happened (UTC, microseconds)' }) occurredAt!: string;
  @ApiProperty({
    enum: ['content_changed', 'chain_broken'],
    description:
      'content_changed: the row no longer hashes to its row_hash; chain_broken: its prev_hash is not the row_hash of the row before it (changed, or deleted)',
  })
  reason!: 'content_changed' | 'chain_broken';
}

export class AuditVerifyDto {
  @ApiProperty({ description: 'Whether every row checked holds' }) ok!: boolean;
  @ApiProperty({ type: 'integer', description: 'Rows checked, up to and including the first broken one' })
  checked!: number;
  @ApiPropertyOptional({ type: AuditBrokenRowDto }) firstBroken?: AuditBrokenRowDto;
}
