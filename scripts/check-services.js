// Checks PostgreSQL and Redis before the quick start, creating the demo database when the
// server is up but the database is not there. Plain JavaScript: it runs before the build.
const { Client } = require('pg');
const Redis = require('ioredis');

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;

async function checkPostgres() {
  const target = new URL(databaseUrl);
  const database = target.pathname.slice(1) || 'postgres';
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return;
  } catch (error) {
    if (error.code !== '3D000') throw error;
  }
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const adminClient = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  await adminClient.end();
  console.log(`Created database ${database}`);
}

async function checkRedis() {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

(async () => {
  let failed = false;
  try {
    await checkPostgres();
  } catch (error) {
    failed = true;
    console.error(
      `PostgreSQL is not reachable at ${databaseUrl} (${error.message}).\n` +
        '  Start it, for example: sudo pg_ctlcluster 15 main start   or   docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16\n' +
        '  or point DATABASE_URL at your server.',
    );
  }
  try {
    await checkRedis();
  } catch (error) {
    failed = true;
    console.error(
      `Redis is not reachable at ${redisUrl} (${error.message}).\n` +
        '  Start it, for example: redis-server --daemonize yes   or   docker run -d -p 6379:6379 redis:7\n' +
        '  or point REDIS_URL at your server.',
    );
  }
  process.exit(failed ? 1 : 0);
})();
