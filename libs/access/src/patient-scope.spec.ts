import { careTeamScope, organizationScope } from './patient-scope';

describe('PatientScope.sql', () => {
  const scope = organizationScope('00000000-0000-4000-8000-000000000001');

  it("appends its values after the query's own and numbers its placeholders after them", () => {
    const params: unknown[] = ['a', 'b'];
    expect(scope.sql(params, 'p')).toBe('p.organization_id = $3');
    expect(scope.sql(params)).toBe('organization_id = $4');
    expect(params).toEqual(['a', 'b', scope.organizationId, scope.organizationId]);
  });

  it('starts at $1 in a query with no parameters of its own', () => {
    expect(scope.sql([])).toBe('organization_id = $1');
  });

  it('refuses an alias that is not a plain identifier, before touching the parameters', () => {
    const params: unknown[] = [];
    for (const alias of ['p.x', 'p; DROP TABLE patients', 'P', '1p', ''])
      expect(() => scope.sql(params, alias)).toThrow('Not an SQL alias');
    expect(params).toEqual([]);
  });
});

describe('careTeamScope.sql', () => {
  const scope = careTeamScope('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002');

  it('keeps rows to the organisation and to the patients of the user, numbering after the query', () => {
    const params: unknown[] = ['a'];
    const sql = scope.sql(params, 'r');
    expect(sql.startsWith('(r.organization_id = $2 AND r.patient_id IN (')).toBe(true);
    expect(sql).toContain('ctm.user_id = $3::uuid');
    expect(sql).toContain('bg.user_id = $3::uuid AND bg.expires_at > now()');
    expect(params).toEqual(['a', scope.organizationId, scope.careTeamUserId]);
  });

  it("names the patients table's own id column when told", () => {
    expect(scope.sql([], undefined, 'id')).toContain('AND id IN (');
  });

  it('refuses an alias that is not a plain identifier, before touching the parameters', () => {
    const params: unknown[] = [];
    expect(() => scope.sql(params, 'p; --')).toThrow('Not an SQL alias');
    expect(params).toEqual([]);
  });
});
