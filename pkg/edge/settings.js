// The names of the handler's settings, as environment variables: apart from the handler, so that
// tools (a workerd config's bindings, a server reading its environment) can list them without
// loading the engine.

/** The settings the handler reads (handler.js describes each). */
export const SETTINGS = Object.freeze([
  "ASTROLABE_ENDPOINT",
  "ASTROLABE_API_KEY",
  "SEGMENT_WRITE_KEY",
  "SEGMENT_SHARED_SECRET",
  "ALLOWED_ORIGINS",
  "ASTROLABE_BODY_TIMEOUT_MS",
  "ASTROLABE_RETRY_BUDGET_MS",
  "ASTROLABE_ATTEMPT_TIMEOUT_MS",
  "ASTROLABE_RETRY_MAX_ATTEMPTS",
  "ASTROLABE_RETRY_BASE_MS",
  "ASTROLABE_MAX_CONCURRENT",
  "RULES",
  "PRIVACY",
  "PRIVACY_HASH_KEY",
  "QUARANTINE_ENDPOINT",
  "QUARANTINE_API_KEY",
]);

/** The settings `source` gives (those it has, by name), and nothing else. */
export function settingsOf(source) {
  const found = {};
  for (const name of SETTINGS) if (source[name] !== undefined) found[name] = source[name];
  return found;
}
