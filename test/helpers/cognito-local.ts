import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** A running cognito-local (Cognito emulator) bound to 127.0.0.1. */
export interface CognitoLocal {
  /** `http://127.0.0.1:<port>/` */
  endpoint: string;
  stop(): void;
}

const require = createRequire(import.meta.url);
const START = join(require.resolve('cognito-local/package.json'), '..', 'lib', 'bin', 'start.js');

/** Starts cognito-local with its data store in `dir` (give it a fresh directory per run). */
export function startCognitoLocal(dir: string): Promise<CognitoLocal> {
  mkdirSync(join(dir, '.cognito'), { recursive: true });
  writeFileSync(join(dir, '.cognito', 'config.json'), JSON.stringify({ ServerConfig: { hostname: '127.0.0.1', port: 0 } }));
  const child: ChildProcess = spawn(process.execPath, [START], { cwd: dir, env: { ...process.env, NODE_NO_WARNINGS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = (): void => {
    if (child.exitCode === null) child.kill();
  };
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`cognito-local did not start:\n${log}`));
    }, 30_000);
    const onData = (chunk: Buffer): void => {
      // eslint-disable-next-line no-control-regex
      log += chunk.toString('utf8').replace(/\u001b\[[0-9;]*m/g, '');
      const address = /running on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (address) {
        clearTimeout(timer);
        resolve({ endpoint: `${address[1]}/`, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cognito-local exited with ${code}:\n${log}`));
    });
  });
}
