import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: { '@': fileURLToPath(new URL('./', import.meta.url)) },
  },
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: [
      'node_modules/**',
      'e2e/**',
      '.next/**',
      '.amplify/**',
      'cdk.out/**',
      '.local-cloud/**',
      '.local-cloud-cache/**',
    ],
    environment: 'node',
    globalSetup: ['tests/support/global-setup.ts'],
    // Contract tests start real servers and a synth; two cores are all we have.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
