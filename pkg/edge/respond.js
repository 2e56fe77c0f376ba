// Small helpers shared by the handler and the delivery: JSON answers, issues, settings.

/** An issue as the package writes them: `{ code, path, message }` (the package adds `hint` where a fix can be named). */
export function issue(code, path, message) {
  return { code, path, message };
}

/** A JSON answer. */
export function json(status, body, headers = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** A setting's text, or undefined when unset or empty. */
export function setting(value) {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  return text === "" ? undefined : text;
}

/** A setting's positive number, or `fallback`. */
export function positiveNumber(value, fallback) {
  const number = Number(setting(value));
  return Number.isFinite(number) && number > 0 ? number : fallback;
}
