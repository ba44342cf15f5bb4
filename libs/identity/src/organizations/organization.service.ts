import { Injectable } from '@nestjs/common';
import type { OrganizationRow } from '../identity.rows';
import { OrganizationRepository } from './organization.repository';

@Injectable()
export class OrganizationService {
  constructor(private readonly organizations: OrganizationRepository) {}

  /** Creates the organisation, or returns the existing one with that slug. */
  ensure(slug: string, name: string): Promise<OrganizationRow> {
    return this.organizations.upsert(slug, name);
  }

  findById(id: string): Promise<OrganizationRow | undefined> {
    return this.organizations.findById(id);
  }

  /** Every organisation's id: for work done per organisation (scheduled checks). */
  ids(): Promise<string[]> {
    return this.organizations.listIds();
  }
}
