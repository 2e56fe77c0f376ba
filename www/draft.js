// The user's own message, kept in localStorage: across reloads and while examples are looked at,
// so that choosing an example (or one stray ArrowDown on the menu) never loses what was typed.
// `storage` is a Storage (localStorage) or null where the browser refuses one (private modes):
// then nothing is kept and nothing fails.

const KEY = "astrolabe-playground:draft";

/** The kept draft `{ payload, type, current }`, or null. `current`: it was on screen last. */
export function loadDraft(storage) {
  try {
    const draft = JSON.parse(storage?.getItem(KEY) ?? "null");
    return draft && typeof draft.payload === "string" ? { payload: draft.payload, type: typeof draft.type === "string" ? draft.type : "auto", current: draft.current === true } : null;
  } catch {
    return null;
  }
}

/** Keeps `draft`; false when the storage refused (full, or disabled). */
export function saveDraft(storage, draft) {
  try {
    storage?.setItem(KEY, JSON.stringify({ payload: draft.payload, type: draft.type ?? "auto", current: draft.current === true }));
    return Boolean(storage);
  } catch {
    return false;
  }
}

/** Whether the draft is what is on screen (an example or a share link may be instead). */
export function markCurrent(storage, current) {
  const draft = loadDraft(storage);
  if (draft && draft.current !== current) saveDraft(storage, { ...draft, current });
}

/** True when `text` is the user's own: not empty, and not one of the examples as given. */
export function isOwnText(text, examples) {
  return text.trim() !== "" && !examples.some((example) => example.text === text);
}
