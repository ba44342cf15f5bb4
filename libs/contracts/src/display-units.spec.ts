import { VITALS, acceptedUnits, type VitalType } from './vitals.catalog';
import { displayUnit } from './display-units';

describe('displayUnit', () => {
  it('gives every unit a device may send a name people read, without UCUM brackets', () => {
    for (const type of Object.keys(VITALS) as VitalType[])
      for (const unit of acceptedUnits(type)) expect(displayUnit(unit)).not.toMatch(/[[\]{}]/);
  });

  it.each([
    ['mm[Hg]', 'mmHg'],
    ['[lb_av]', 'lb'],
    ['Cel', '°C'],
    ['[degF]', '°F'],
    ['/min', 'beats/min'],
    ['%', '%'],
  ])('shows %s as %s', (ucum, shown) => expect(displayUnit(ucum)).toBe(shown));

  it('shows an unknown code as it is', () => expect(displayUnit('toString')).toBe('toString'));
});
