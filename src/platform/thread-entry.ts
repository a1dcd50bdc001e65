/**
 * What a worker thread runs, given the TypeScript module it should load (`new URL('./x.ts', import.meta.url)`).
 * Started from the JavaScript copy of the app (bin/compile.js), the caller is JavaScript and the compiled module
 * sits beside it: the thread loads only that module's own imports. Run as TypeScript (tests, benchmarks,
 * STACKABLE_TSX=1), the thread must first start tsx's loader, which workers do not inherit; that loader costs the
 * thread tens of megabytes more.
 */
export function threadEntry(typeScriptModule: URL, callerUrl: string): URL {
  if (callerUrl.endsWith('.js')) return new URL(typeScriptModule.href.replace(/\.ts$/, '.js'));
  const bootstrap = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};
register();
await import(${JSON.stringify(typeScriptModule.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}
