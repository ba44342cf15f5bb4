import { organizationScope } from './patient-scope';

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
