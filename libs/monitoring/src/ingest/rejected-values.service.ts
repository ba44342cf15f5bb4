import { Injectable } from '@nestjs/common';
import type { ImplausibleRejectionRow } from '../monitoring.rows';
import { RejectionRepository } from './rejection.repository';

/** Values ingest refused as implausible, for the domain that tells people about their devices. */
@Injectable()
export class RejectedValuesService {
  constructor(private readonly rejections: RejectionRepository) {}

  /** The refused value, its device and patient; undefined when the id names no such rejection. */
  implausible(rejectionId: string): Promise<ImplausibleRejectionRow | undefined> {
    return this.rejections.findImplausible(rejectionId);
  }
}
