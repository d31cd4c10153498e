/** `npm run local-cloud`: the gateway and every local service on LOCAL_CLOUD_PORT (4566). */
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
