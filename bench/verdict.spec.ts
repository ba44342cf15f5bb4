import { judge } from './verdict';

describe('verdicts against targets and ceilings', () => {
  it('passes a throughput at or above its target and says by how much it misses', () => {
    expect(judge(25_000, { kind: 'at-least', target: 20_000 })).toEqual({
      ratio: 1.25,
      outcome: 'PASS',
      margin: '+25%',
    });
    expect(judge(20_000, { kind: 'at-least', target: 20_000 }).outcome).toBe('PASS');
    expect(judge(12_000, { kind: 'at-least', target: 20_000 })).toEqual({
      ratio: 0.6,
      outcome: 'MISS',
      margin: 'by 40%',
    });
  });

  it('passes a latency strictly below its target', () => {
    expect(judge(12, { kind: 'below', target: 15 })).toEqual({
      ratio: 0.8,
      outcome: 'PASS',
      margin: '20% under',
    });
    expect(judge(15, { kind: 'below', target: 15 })).toEqual({ ratio: 1, outcome: 'MISS', margin: 'by 0%' });
    expect(judge(30, { kind: 'below', target: 25 }).margin).toBe('by 20%');
  });

  it('gives a figure beside its ceiling as a ratio, and says when the ceiling is missing', () => {
    expect(judge(10_000, { kind: 'ceiling', ceiling: 40_000, of: 'raw MQTT' })).toEqual({
      ratio: 0.25,
      outcome: '',
      margin: 'of raw MQTT',
    });
    expect(judge(10_000, { kind: 'ceiling', ceiling: undefined, of: 'raw MQTT' })).toEqual({
      outcome: '',
      margin: 'raw MQTT not measured',
    });
  });

  it('passes a count only when it is exactly the target (nothing lost)', () => {
    expect(judge(0, { kind: 'exactly', target: 0 })).toEqual({ outcome: 'PASS', margin: '' });
    expect(judge(12, { kind: 'exactly', target: 0 })).toEqual({ outcome: 'MISS', margin: 'by 12' });
  });

  it('judges nothing that was not measured', () => {
    expect(judge(undefined, { kind: 'below', target: 50 })).toEqual({ outcome: '', margin: 'not measured' });
    expect(judge(Number.NaN, { kind: 'at-least', target: 1 }).outcome).toBe('');
  });
});
