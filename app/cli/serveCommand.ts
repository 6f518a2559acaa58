/**
 * `synccenter serve`: a core in this process that also runs schedules and file watching, the control endpoint (so
 * other CLI calls share its queue and schedules) and the local web host. The window URL (token included) is the
 * FIRST line of stdout; it runs until SIGINT/SIGTERM.
 */
import { startControlEndpoint } from '../host/controlEndpoint.ts';
import { startWebHost } from '../host/webHost.ts';
import { openHost } from './hostConnection.ts';
import type { CliIo } from './output.ts';

export interface ServeOptions {
  readonly dataDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly io: CliIo;
  readonly json: boolean;
  readonly port: number;
  readonly rendererDir: string;
}

/** Serves until interrupted; resolves after a clean shutdown. */
export async function serve(options: ServeOptions): Promise<void> {
  const host = await openHost(options.dataDir, options.env, false, true);
  const endpoint = await startControlEndpoint(host.api, options.dataDir).catch(async (error: unknown) => {
    await host.close();
    throw error;
  });
  const web = await startWebHost({ api: host.api, rendererDir: options.rendererDir, port: options.port });
  options.io.out(options.json ? JSON.stringify({ url: web.url, endpoint: endpoint.path }) : web.url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await web.close();
  await endpoint.close();
  await host.close();
}
