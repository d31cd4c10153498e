import { ensureAssembly } from '../../scripts/assembly-cache';

/**
 * Synthesizes the backend once before any test file runs (cached in `.local-cloud-cache/`):
 * test files that start the offline stack then share it instead of racing to write it.
 */
export default function setup() {
  ensureAssembly(CACHE_DIR);
}

export const CACHE_DIR = '.local-cloud-cache';
