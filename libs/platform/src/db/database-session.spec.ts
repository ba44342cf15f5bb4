import { DatabaseSession, scopedTransactionPreamble } from './database-session';

describe('DatabaseSession', () => {
  const organizationId = '0b6f6d2e-8d0c-4c43-9b7e-3f1f2a4c5d6e';
  const userId = '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';

  it('binds settings to the work it runs, through awaits, and nothing outside it', async () => {
    const session = new DatabaseSession();
    expect(session.current()).toBeUndefined();
    const seen = await session.run({ organizationId, userId }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return session.current();
    });
    expect(seen).toEqual({ organizationId, userId });
    expect(session.current()).toBeUndefined();
  });

  it('runs a step unbound inside bound work', () => {
    const session = new DatabaseSession();
    expect(session.run({ organizationId }, () => session.unbound(() => session.current()))).toBeUndefined();
  });

  it('refuses anything but UUIDs, before the work runs', () => {
    const session = new DatabaseSession();
    const work = jest.fn<void, []>();
    expect(() => session.run({ organizationId: "'; RESET ROLE; --" }, work)).toThrow('not a UUID');
    expect(() => session.run({ organizationId, userId: '' }, work)).toThrow('not a UUID');
    expect(work).not.toHaveBeenCalled();
  });
});

describe('scopedTransactionPreamble', () => {
  it('opens the transaction, switches role and sets both settings transaction-locally, in one text', () => {
    expect(
      scopedTransactionPreamble({
        organizationId: '0b6f6d2e-8d0c-4c43-9b7e-3f1f2a4c5d6e',
        userId: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
      }),
    ).toBe(
      "BEGIN; SET LOCAL ROLE homeward_scoped; SELECT set_config('homeward.organization_id', " +
        "'0b6f6d2e-8d0c-4c43-9b7e-3f1f2a4c5d6e', true), set_config('homeward.user_id', " +
        "'9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d', true)",
    );
  });

  it('sets an empty user for the whole organisation, and refuses text that is not a UUID', () => {
    expect(scopedTransactionPreamble({ organizationId: '0b6f6d2e-8d0c-4c43-9b7e-3f1f2a4c5d6e' })).toContain(
      "set_config('homeward.user_id', '', true)",
    );
    expect(() => scopedTransactionPreamble({ organizationId: "x', true); RESET ROLE; --" })).toThrow(
      'not a UUID',
    );
  });
});
