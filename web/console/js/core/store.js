// Reference data shared by the pages (the signed-in user, stages, teams,
// users, categories), fetched once and kept until invalidated.
import { get } from './api.js';

const cache = new Map();

function cached(key, load) {
  if (!cache.has(key)) {
    const p = load().catch((e) => {
      cache.delete(key);
      throw e;
    });
    cache.set(key, p);
  }
  return cache.get(key);
}

export function invalidate(key) {
  if (key) cache.delete(key);
  else cache.clear();
}

export const state = { me: null };

export const stages = () => cached('stages', async () => (await get('/stages')).items);
export const teams = () => cached('teams', async () => (await get('/teams')).items);
export const categories = () => cached('categories', async () => (await get('/categories')).items);
export const users = () => cached('users', async () => (await get('/users')).items);

/** Active technicians, by name. */
export async function technicians() {
  return (await users()).filter((u) => u.role === 'technician' && u.active).sort((a, b) => a.name.localeCompare(b.name));
}

/** id → record maps. */
export async function byId(loader) {
  return new Map((await loader()).map((r) => [r.id, r]));
}

export function isPlanner(me = state.me) {
  return !!me && (me.role === 'manager' || me.role === 'admin');
}

export function isAdmin(me = state.me) {
  return !!me && me.role === 'admin';
}
