// Signing in and out. Technicians and anyone who cannot plan are sent to the
// glasses' app (/hud/): the console is for planners.
import { del, setCsrf } from './api.js';
import { loadLocale } from './i18n.js';
import { setZone } from './tz.js';
import { state, isPlanner, invalidate } from './store.js';
import { connect, disconnect } from './live.js';

/** Applies a signed-in user. Returns false when the user was sent to the HUD. */
export async function signedIn(me) {
  if (!isPlanner(me)) {
    location.replace('/hud/');
    return false;
  }
  state.me = me;
  setCsrf(me.csrf_token);
  setZone(me.timezone || 'UTC');
  await loadLocale(me.locale);
  connect();
  return true;
}

export async function signOut() {
  try {
    await del('/session');
  } finally {
    disconnect();
    state.me = null;
    setCsrf(null);
    invalidate();
    location.assign('/login');
  }
}
