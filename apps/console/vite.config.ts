import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The console builds to dist/console, which the API serves at `/` (hashed files under
 * /assets/). `npm run console:dev` proxies /api and /socket.io to an API on port 3000.
 */
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: { alias: { '@homeward/contracts': here('../../libs/contracts/src/index.ts') } },
  build: { outDir: here('../../dist/console'), emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'ws://localhost:3000', ws: true },
    },
  },
});
