import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { DEVICE_CONTRACT } from './device-payload';
import { deviceHubBatchSchemaV1, deviceMessageSchemaV1 } from './device-payload.schema';
import { VITALS, VITAL_TYPES, acceptedUnits, toCanonicalUnit } from './vitals.catalog';

/** The example payload of docs/device-contract.md (once in the README), message id aside. */
const README_EXAMPLE = {
  messageId: 'abc-1',
  measuredAt: '2026-11-25T07:02:11Z',
  readings: [
    { type: 'blood_pressure_systolic', value: 152, unit: 'mm[Hg]' },
    { type: 'blood_pressure_diastolic', value: 96, unit: 'mm[Hg]' },
    { type: 'heart_rate', value: 71, unit: '/min' },
  ],
};

describe('the vitals catalogue', () => {
  it.each(VITAL_TYPES.map((type) => [type]))(
    'describes %s with a LOINC code, a unit and a plausible range',
    (type) => {
      const def = VITALS[type];
      expect(def.type).toBe(type);
      expect(def.loinc).toMatch(/^\d+-\d$/);
      expect(def.unit).not.toBe('');
      expect(def.display).not.toBe('');
      expect(Number.isFinite(def.plausible.min)).toBe(true);
      expect(Number.isFinite(def.plausible.max)).toBe(true);
      expect(def.plausible.min).toBeLessThan(def.plausible.max);
      expect(Number.isInteger(def.precision) && def.precision >= 0).toBe(true);
    },
  );

  it('codes every vital with a different LOINC code', () => {
    const codes = VITAL_TYPES.map((type) => VITALS[type].loinc);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('uses the standard LOINC codes for blood pressure and heart rate', () => {
    expect(VITALS.blood_pressure_systolic.loinc).toBe('8480-6');
    expect(VITALS.blood_pressure_diastolic.loinc).toBe('8462-4');
    expect(VITALS.heart_rate.loinc).toBe('8867-4');
  });

  it('lists the canonical unit first among the accepted units', () => {
    for (const type of VITAL_TYPES) expect(acceptedUnits(type)[0]).toBe(VITALS[type].unit);
    expect(acceptedUnits('body_weight')).toEqual(['kg', '[lb_av]', 'g']);
    expect(acceptedUnits('oxygen_saturation')).toEqual(['%']);
  });

  describe('toCanonicalUnit', () => {
    it('returns a value in the canonical unit unchanged', () => {
      expect(toCanonicalUnit('heart_rate', 71.5, '/min')).toBe(71.5);
      expect(toCanonicalUnit('body_weight', 80.123, 'kg')).toBe(80.123);
    });

    it('converts and rounds to the catalogue precision', () => {
      expect(toCanonicalUnit('body_weight', 154.3, '[lb_av]')).toBe(69.99);
      expect(toCanonicalUnit('blood_glucose', 7.2, 'mmol/L')).toBe(130);
      expect(toCanonicalUnit('body_temperature', 101.3, '[degF]')).toBe(38.5);
      expect(toCanonicalUnit('blood_pressure_systolic', 20, 'kPa')).toBe(150);
    });

    it.each([
      ['body_weight', 'lbs'],
      ['body_weight', 'mm[Hg]'],
      ['body_temperature', 'degF'],
      ['blood_glucose', 'mg/dl'],
      ['oxygen_saturation', 'constructor'],
      ['heart_rate', 'toString'],
      ['heart_rate', '__proto__'],
    ] as const)('does not accept %s in %s', (type, unit) => {
      expect(toCanonicalUnit(type, 50, unit)).toBeUndefined();
    });
  });
});

describe('the device message JSON Schema (v1)', () => {
  function compile() {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    return ajv.compile(deviceMessageSchemaV1());
  }

  it('compiles with Ajv 2020 in strict mode', () => {
    expect(compile).not.toThrow();
  });

  it('accepts the README example payload', () => {
    const validate = compile();
    expect(validate(README_EXAMPLE)).toBe(true);
    expect(validate.errors ?? null).toBeNull();
  });

  it('accepts every catalogue type in every accepted unit', () => {
    const validate = compile();
    for (const type of VITAL_TYPES) {
      for (const unit of acceptedUnits(type)) {
        const body = { ...README_EXAMPLE, readings: [{ type, value: 1, unit }] };
        expect({ type, unit, valid: validate(body) }).toEqual({ type, unit, valid: true });
      }
    }
  });

  it('rejects a body weight reading in mm[Hg], pointing at its unit', () => {
    const validate = compile();
    const body = { ...README_EXAMPLE, readings: [{ type: 'body_weight', value: 80, unit: 'mm[Hg]' }] };
    expect(validate(body)).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toContain('/readings/0/unit');
  });

  it('rejects a measurement time without a time zone', () => {
    expect(compile()({ ...README_EXAMPLE, measuredAt: '2026-11-25T07:02:11' })).toBe(false);
  });

  it('rejects more readings than the contract allows', () => {
    const reading = README_EXAMPLE.readings[2];
    const readings = Array.from({ length: DEVICE_CONTRACT.maxReadingsPerMessage + 1 }, () => reading);
    expect(compile()({ ...README_EXAMPLE, readings })).toBe(false);
  });

  it('publishes the topic and the size limit devices must respect', () => {
    const schema = deviceMessageSchemaV1();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.description).toContain(`${DEVICE_CONTRACT.topicPrefix}/{deviceId}/readings`);
    expect(schema.description).toContain(String(DEVICE_CONTRACT.maxPayloadBytes));
  });
});

describe('the hub batch JSON Schema', () => {
  const validate = (() => {
    const ajv = new Ajv2020({ strict: true });
    addFormats(ajv, ['date-time']);
    return ajv.compile(deviceHubBatchSchemaV1());
  })();

  it('accepts 1 to maxMessagesPerBatch messages of the message schema', () => {
    expect(validate({ messages: [README_EXAMPLE] })).toBe(true);
    const full = Array.from({ length: DEVICE_CONTRACT.maxMessagesPerBatch }, () => README_EXAMPLE);
    expect(validate({ messages: full })).toBe(true);
  });

  it('rejects an empty or oversized batch, and a message the message schema rejects', () => {
    expect(validate({ messages: [] })).toBe(false);
    const over = Array.from({ length: DEVICE_CONTRACT.maxMessagesPerBatch + 1 }, () => README_EXAMPLE);
    expect(validate({ messages: over })).toBe(false);
    expect(validate({ messages: [{ ...README_EXAMPLE, measuredAt: 'yesterday' }] })).toBe(false);
  });
});
