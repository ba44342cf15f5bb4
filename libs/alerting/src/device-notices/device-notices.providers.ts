import { DeviceNoticeRepository } from './device-notice.repository';
import { DeviceNoticeService } from './device-notice.service';
import { ReadingsImplausibleProcessor } from './readings-implausible.processor';

/** Device notices in worker processes: `readings.implausible` raises them. */
export const DEVICE_NOTICES = [DeviceNoticeRepository, DeviceNoticeService, ReadingsImplausibleProcessor];
