// The engine, as the runtime's own entry of this package gives it: `#engine` (package.json
// "imports") picks the full build's entry by the same conditions as `astrolabe-segment` itself
// (workerd, deno, edge-light, node, browser), so the handler gets the right way to load the
// .wasm wherever it runs, and the same instance as the app's own `import "astrolabe-segment"`.
export { Destination, limits } from "#engine";
