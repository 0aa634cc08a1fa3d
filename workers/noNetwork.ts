// Imported first by every browser worker entry. Workers read files the user gave and compute;
// none needs the network beyond this site (module chunks, WebAssembly). The CSP header says so
// where the server sends it; this says it again where the app is hosted without that header
// (the page's <meta> policy does not reach workers): requests to other origins are refused, and
// sockets and event streams, which no worker uses, are gone.
const scope = globalThis as unknown as {
  location: { href: string; origin: string };
  fetch: typeof fetch;
  XMLHttpRequest?: typeof XMLHttpRequest;
  WebSocket?: unknown;
  EventSource?: unknown;
};

function refused(url: string): TypeError {
  return new TypeError(`evscope workers do not contact other sites: refused ${url.slice(0, 200)}`);
}

function sameSite(input: RequestInfo | URL): boolean {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    return new URL(href, scope.location.href).origin === scope.location.origin;
  } catch {
    return false;
  }
}

if (typeof scope.fetch === 'function' && scope.location) {
  const siteFetch = scope.fetch.bind(globalThis);
  scope.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
    sameSite(input) ? siteFetch(input, init) : Promise.reject(refused(String(input)));
  const Xhr = scope.XMLHttpRequest;
  if (Xhr) {
    const open = Xhr.prototype.open as (this: XMLHttpRequest, ...args: unknown[]) => void;
    Xhr.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
      if (!sameSite(args[1] as string | URL)) throw refused(String(args[1]));
      return open.apply(this, args);
    } as typeof Xhr.prototype.open;
  }
  for (const name of ['WebSocket', 'EventSource'] as const) {
    if (scope[name] !== undefined)
      Object.defineProperty(globalThis, name, {
        value: undefined,
        configurable: false,
        writable: false,
      });
  }
}

export {};
