import { Client } from 'pg';
import { TEST_POSTGRES_URL } from '@homeward/testing';
import {
  byteaArrayLiteral,
  numberArrayLiteral,
  textArrayLiteral,
  timestampArrayLiteral,
} from './array-literal';

// What PostgreSQL reads back from each literal is what pg's own serialiser would have sent.
describe('array literals', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
  });

  afterAll(() => client.end());

  async function roundTrip<T>(literal: string, type: string): Promise<T[]> {
    const { rows } = await client.query<{ value: T[] }>(`SELECT $1::${type}[] AS value`, [literal]);
    return rows[0].value;
  }

  it('keeps text exactly, whatever it holds', async () => {
    const values = [
      'plain',
      '',
      'NULL',
      'with space',
      ' padded ',
      'a,b',
      '{braces}',
      'quote " inside',
      'back\\slash',
      '\\"both',
      'ünïcödé ✓',
    ];
    expect(await roundTrip<string>(textArrayLiteral(values), 'text')).toEqual(values);
    expect(await roundTrip<string | null>(textArrayLiteral(['x', null, 'NULL']), 'text')).toEqual([
      'x',
      null,
      'NULL',
    ]);
    expect(await roundTrip<string>(textArrayLiteral([]), 'text')).toEqual([]);
  });

  it('keeps uuids', async () => {
    const ids = ['2b6f0cc9-4cba-4f62-9a0c-1c3a1c8f1f10', '00000000-0000-0000-0000-000000000000'];
    expect(await roundTrip<string>(textArrayLiteral(ids), 'uuid')).toEqual(ids);
  });

  it('keeps every float8 bit for bit, and integers', async () => {
    const values = [0, -0.5, 0.1, 1 / 3, 120.000_000_000_01, 1e-300, -1.7976931348623157e308, 5e-324];
    const { rows } = await client.query<{ text: string[] }>(`SELECT $1::float8[]::text[] AS text`, [
      numberArrayLiteral(values),
    ]);
    expect(rows[0].text.map(Number)).toEqual(values);
    expect(await roundTrip<number>(numberArrayLiteral([1, 2, 3]), 'int')).toEqual([1, 2, 3]);
  });

  it('keeps instants to the millisecond', async () => {
    const instants = [new Date('2026-11-26T07:02:11.123Z'), new Date('1999-12-31T23:59:59.999Z')];
    const read = await roundTrip<Date>(timestampArrayLiteral(instants), 'timestamptz');
    expect(read.map((date) => date.getTime())).toEqual(instants.map((date) => date.getTime()));
  });

  it('keeps bytes', async () => {
    const hashes = [Buffer.from('00ff10', 'hex'), Buffer.alloc(16, 0xab), Buffer.alloc(0)];
    expect(await roundTrip<Buffer>(byteaArrayLiteral(hashes), 'bytea')).toEqual(hashes);
  });
});
