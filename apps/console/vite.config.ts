import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const outDir = here('../../dist/console');

/** Text assets worth compressing; images and fonts are compressed formats already. */
const COMPRESSIBLE = /\.(js|css|svg|json|txt)$/;

/**
 * Writes `name.gz` and `name.br` beside every compressible asset once, at build time, so the API
 * sends them with `Content-Encoding` (libs/platform serve-console.ts) without compressing per
 * request. Brotli at its highest quality: paid once per build, saved on every load.
 */
function precompressAssets(): Plugin {
  const brotli = promisify(brotliCompress);
  const gzipAsync = promisify(gzip);
  return {
    name: 'homeward-precompress-assets',
    apply: 'build',
    async writeBundle() {
      const assets = join(outDir, 'assets');
      const names = (await readdir(assets)).filter((name) => COMPRESSIBLE.test(name));
      for (const name of names) {
        const content = await readFile(join(assets, name));
        const [br, gz] = await Promise.all([
          brotli(content, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }),
          gzipAsync(content, { level: constants.Z_BEST_COMPRESSION }),
        ]);
        await Promise.all([
          writeFile(join(assets, `${name}.br`), br),
          writeFile(join(assets, `${name}.gz`), gz),
        ]);
      }
    },
  };
}

/**
 * The console builds to dist/console, which the API serves at `/` (hashed files under
 * /assets/). `npm run console:dev` proxies /api and /socket.io to an API on port 3000.
 * Source maps only when CONSOLE_SOURCEMAP=true asks (a debugging build): production publishes none.
 * The size warning sits above the video-visit chunk (livekit-client and LiveKit's components,
 * about 690 kB, 190 kB compressed), which only the visit pages load; the first load is far below.
 */
export default defineConfig({
  root: here('.'),
  plugins: [react(), precompressAssets()],
  resolve: { alias: { '@homeward/contracts': here('../../libs/contracts/src/index.ts') } },
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: process.env.CONSOLE_SOURCEMAP === 'true',
    chunkSizeWarningLimit: 750,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'ws://localhost:3000', ws: true },
    },
  },
});
