// Limits on the Node HTTP server so slow or idle clients cannot hold its connections (drip-fed bodies, unfinished headers).
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServerLimits {
  /** The whole request, body included, must arrive within this; otherwise Node answers 408 and closes. */
  requestTimeoutMs: number;
  /** The request line and headers must arrive within this (a slowloris never finishes them); also 408. */
  headersTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections beyond this are dropped at once, before they cost a file descriptor and parser each. */
  maxConnections: number;
  /** How often Node looks for requests past the two timeouts: its 30 s default would let a 10 s limit run to 40 s. */
  checkIntervalMs: number;
}

/** Node 20's own defaults are 300 s per request, 60 s for headers, checked every 30 s, and no connection cap. */
export const SERVER_LIMITS: ServerLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 2_000,
  checkIntervalMs: 1_000,
};

/** `serve` with the limits applied; the check interval can only be given when the server is created, hence one function. */
export function serveWithLimits(
  options: { fetch: (req: Request) => Response | Promise<Response>; hostname: string; port: number },
  limits: ServerLimits = SERVER_LIMITS,
  onListen?: (info: AddressInfo) => void,
): Server {
  const server = serve(
    {
      ...options,
      // Given at creation, Node also checks them (headers timeout not above the request timeout).
      serverOptions: {
        requestTimeout: limits.requestTimeoutMs,
        headersTimeout: limits.headersTimeoutMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        connectionsCheckingInterval: limits.checkIntervalMs,
      },
    },
    onListen,
  ) as Server;
  server.maxConnections = limits.maxConnections;
  return server;
}
