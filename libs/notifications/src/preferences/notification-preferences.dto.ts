import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  Matches,
  ValidateIf,
} from 'class-validator';
import { E164 } from '@homeward/contracts';
import { CONTACT_CHANNELS, type ContactChannel } from '../outbox/notification.rows';
import type { NotificationPreferencesView } from './notification-preferences.service';

/** A change of preferences: a field left out keeps its value, null clears it. */
export class NotificationPreferencesInputDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '+447700900123',
    description: 'Mobile number for SMS, in E.164 form; null removes it',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(E164, { message: 'phone must be an E.164 number: + then country code and number, digits only' })
  phone?: string | null;

  @ApiPropertyOptional({
    enum: CONTACT_CHANNELS,
    isArray: true,
    nullable: true,
    description:
      'Channels for escalations when the console is closed, in fallback order; null returns to the default (every channel you can be reached on)',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CONTACT_CHANNELS.length)
  @ArrayUnique()
  @IsIn(CONTACT_CHANNELS, { each: true })
  channels?: ContactChannel[] | null;
}

export class NotificationPreferencesDto {
  @ApiProperty() userId!: string;
  @ApiProperty({ description: 'Where email notifications go: the account’s sign-in address' }) email!: string;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({
    enum: CONTACT_CHANNELS,
    isArray: true,
    nullable: true,
    description: 'Your order; null: the default',
  })
  channels!: ContactChannel[] | null;
  @ApiProperty({
    enum: ['socket', ...CONTACT_CHANNELS],
    isArray: true,
    description: 'Where an escalation goes now: the open console, then these channels at once',
  })
  sendsTo!: string[];
  @ApiProperty({
    enum: CONTACT_CHANNELS,
    isArray: true,
    description: 'Every channel that can reach you, in the order a failed one falls back',
  })
  fallbackOrder!: ContactChannel[];
}

export function mapPreferences(view: NotificationPreferencesView): NotificationPreferencesDto {
  return { ...view };
}
