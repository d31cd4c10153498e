/**
 * The gateway with the default services only (Step Functions over the ASL in `amplify/`, or
 * `LOCAL_CLOUD_ASL_DIR`), as a real process: the crash test SIGKILLs it. `npm run local-cloud`
 * runs the complete offline backend instead (`scripts/dev.ts --no-app`).
 */
import { PortInUseError } from './core/gateway';
import { startLocalCloud } from './core/start';

try {
  const cloud = await startLocalCloud({});
  console.log(`local cloud listening on ${cloud.url} (health: ${cloud.url}/_local/health)`);
  for (const service of cloud.services) {
    console.log(`  ${service.name}: ${service.health().detail ?? 'ok'}`);
  }
  const shutdown = () => void cloud.close().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  console.error(error instanceof PortInUseError ? error.message : error);
  process.exit(error instanceof PortInUseError ? 2 : 1);
}
