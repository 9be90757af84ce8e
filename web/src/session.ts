/**
 * The signed-in session: tokens kept in localStorage (so a shared link opened in a new tab stays signed in),
 * the access token refreshed shortly before it expires. Refresh tokens are single use, so one refresh runs
 * at a time.
 */
import { createSignal } from 'solid-js';

export interface Tokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
}

const KEY = 'accessflow.session';
/** Refresh when the access token has less than this left. */
const REFRESH_MARGIN_MS = 60_000;

function load(): Tokens | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

const [tokens, setTokensSignal] = createSignal<Tokens | null>(load());
export { tokens };

export function setTokens(next: Tokens | null): void {
  if (next) localStorage.setItem(KEY, JSON.stringify(next));
  else localStorage.removeItem(KEY);
  setTokensSignal(next);
}

// Another tab signed in or out.
window.addEventListener('storage', (event) => {
  if (event.key === KEY) setTokensSignal(load());
});

let refreshing: Promise<Tokens | null> | null = null;

/** A valid access token, refreshed first when it is about to expire; null when signed out. */
export async function accessToken(refresh: (refreshToken: string) => Promise<Tokens | null>): Promise<string | null> {
  const current = tokens();
  if (!current) return null;
  if (Date.parse(current.accessTokenExpiresAt) - Date.now() > REFRESH_MARGIN_MS) return current.accessToken;
  refreshing ??= refresh(current.refreshToken)
    .catch(() => null)
    .then((next) => {
      setTokens(next);
      return next;
    })
    .finally(() => (refreshing = null));
  return (await refreshing)?.accessToken ?? null;
}
