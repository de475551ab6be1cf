import { Agent } from 'undici';
import type { ResolvedHttpServiceOptions } from './resolve-options.js';

/**
 * The resource of `httpService()`: the upstream's checked base URL and a `fetch` bound to it, with the plugin's
 * headers (credentials) and timeouts, on sockets of its own that the plugin's close ends.
 */
export interface HttpService {
  /** The plugin's name. */
  readonly name: string;
  /** The base URL, without user info: `https://api.example.com/v1/`. */
  readonly baseUrl: string;
  /** `path` resolved against the base URL like a link (`'users'` under the base path, `'/users'` from the origin). */
  url(path: string): URL;
  /**
   * The global `fetch`, on the upstream: `path` is resolved with {@link HttpService.url} and must stay on its
   * origin (the credentials go nowhere else). The plugin's headers are sent, `init.headers` override them. Rejects
   * with a `TimeoutError` when no connection comes within `connectTimeoutMs` or no response headers within
   * `responseTimeoutMs` (milliseconds), with the caller's abort reason when `init.signal` aborts, and once the
   * plugin is closed.
   */
  fetch(path: string | URL, init?: RequestInit): Promise<Response>;
}

/** What the bound fetch tells the plugin: an answer came, or the network failed. */
export interface UpstreamEvents {
  answered(): void;
  failed(error: unknown): void;
}

/** The agent (the upstream's own sockets) and the bound fetch. Internal. */
export class Upstream implements HttpService {
  readonly name: string;
  readonly baseUrl: string;
  private readonly agent: Agent;
  private readonly origin: string;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Aborts every request in flight when the close is forced: undici does not fail them once a close began. */
  private readonly shutdown = new AbortController();

  constructor(
    private readonly options: ResolvedHttpServiceOptions,
    private readonly events: UpstreamEvents = { answered() {}, failed() {} },
  ) {
    this.name = options.name;
    this.baseUrl = options.baseUrl;
    this.origin = new URL(options.baseUrl).origin;
    this.agent = new Agent({
      connect: { timeout: options.connectTimeoutMs },
      headersTimeout: options.responseTimeoutMs,
      bodyTimeout: options.responseTimeoutMs,
      keepAliveTimeout: options.keepAliveTimeoutMs,
      ...(Number.isFinite(options.maxConnections) ? { connections: options.maxConnections } : {}),
    });
    Object.defineProperty(this, 'options', { enumerable: false });
    Object.defineProperty(this, 'agent', { enumerable: false });
    Object.defineProperty(this, 'events', { enumerable: false });
    Object.defineProperty(this, 'shutdown', { enumerable: false });
  }

  url(path: string): URL {
    return new URL(path, this.baseUrl);
  }

  fetch = async (path: string | URL, init: RequestInit = {}): Promise<Response> => {
    if (this.closed) throw new Error(`httpService "${this.name}" is closed`);
    const target = path instanceof URL ? path : this.url(path);
    if (target.origin !== this.origin) {
      throw new TypeError(`httpService "${this.name}" fetches only on ${this.origin}, not another origin`);
    }
    const headers = new Headers(this.options.headers);
    for (const [key, value] of new Headers(init.headers)) headers.set(key, value);
    const timer = new AbortController();
    const timeout = setTimeout(
      () =>
        timer.abort(
          new DOMException(
            `no response within responseTimeoutMs (${this.options.responseTimeoutMs} ms)`,
            'TimeoutError',
          ),
        ),
      this.options.responseTimeoutMs,
    );
    const signals = [timer.signal, this.shutdown.signal, ...(init.signal ? [init.signal] : [])];
    const signal = AbortSignal.any(signals);
    try {
      const response = await fetch(target, {
        ...init,
        headers,
        signal,
        // undici's own Agent: its sockets are this plugin's, and close() ends them.
        dispatcher: this.agent,
      } as unknown as RequestInit);
      this.events.answered();
      return response;
    } catch (error) {
      const reason = init.signal?.aborted
        ? init.signal.reason
        : timer.signal.aborted
          ? timer.signal.reason
          : error;
      if (!init.signal?.aborted && !this.closed) this.events.failed(reason);
      throw reason;
    } finally {
      clearTimeout(timeout);
    }
  };

  /** Waits for the requests in flight, then closes every socket; forced when `signal` aborts. Idempotent. */
  close(signal?: AbortSignal): Promise<void> {
    this.closed = true;
    this.closing ??= new Promise<void>((resolve) => {
      const force = () => {
        this.shutdown.abort(new Error(`httpService "${this.name}" closed with this request in flight`));
        void this.agent.destroy().then(resolve, resolve);
      };
      if (signal?.aborted) return force();
      signal?.addEventListener('abort', force, { once: true });
      this.agent.close().then(() => {
        signal?.removeEventListener('abort', force);
        resolve();
      }, force);
    });
    return this.closing;
  }

  /** Closes every socket at once, requests in flight failing. */
  destroy(): Promise<void> {
    this.closed = true;
    this.shutdown.abort(new Error(`httpService "${this.name}" closed with this request in flight`));
    this.closing ??= this.agent.destroy().catch(() => {});
    return this.closing;
  }
}
