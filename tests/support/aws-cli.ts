import { execFile, spawnSync } from 'node:child_process';
import type { LocalCloud } from '../../local-cloud';

/** Whether the AWS CLI is on PATH (CI installs it when missing: .ci/run). */
export const cliAvailable = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;

export interface CliResult {
  status: number;
  json: unknown;
  stderr: string;
}

/**
 * The AWS CLI as a person runs it against the local cloud: only an endpoint and dummy
 * credentials. Asynchronous (execFile), because this process serves the local cloud it calls.
 */
export function awsCli(cloud: () => Pick<LocalCloud, 'url' | 'region'>) {
  return (...args: string[]): Promise<CliResult> => {
    const { url, region } = cloud();
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      // CLI v1 reads only AWS_DEFAULT_REGION, v2 both.
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_PAGER: '',
      AWS_ENDPOINT_URL: '',
    };
    const argv = [...args, '--endpoint-url', url, '--output', 'json'];
    return new Promise((resolve) => {
      execFile('aws', argv, { encoding: 'utf8', timeout: 30_000, env }, (error, stdout, stderr) => {
        const out = stdout.trim();
        resolve({
          status: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          json: out && !error ? JSON.parse(out) : undefined,
          stderr,
        });
      });
    });
  };
}
