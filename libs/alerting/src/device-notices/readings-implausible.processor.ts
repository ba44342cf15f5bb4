import { Injectable } from '@nestjs/common';
import type { READING_JOBS } from '@homeward/monitoring';
import { JobProcessor, type JobPayload } from '@homeward/platform';
import { DeviceNoticeService } from './device-notice.service';

type Jobs = typeof READING_JOBS;

/** Alerting's answer to monitoring's `readings.implausible`: the device notice. */
@Injectable()
export class ReadingsImplausibleProcessor extends JobProcessor<Jobs, 'readings.implausible'> {
  readonly name = 'readings.implausible';

  constructor(private readonly notices: DeviceNoticeService) {
    super();
  }

  async process({ rejectionId, correlationId }: JobPayload<Jobs, 'readings.implausible'>): Promise<void> {
    await this.notices.raiseImplausible(rejectionId, correlationId);
  }
}
