// AR placement, a progressive enhancement: where the browser offers an
// immersive-ar session with DOM overlay (ARCore phones, some headsets),
// PLACE CARD pins the current step card in space — it follows the centre of
// view until the technician taps (or says PLACE CARD again), then stays
// anchored there: each frame the anchor is projected to the screen and the
// card moved to that spot. Elsewhere the heads-up card is the AR view and
// this module stays silent.

import { t } from './i18n.js';

let session = null;
let overlay = null;
let pinNow = null;

export async function xrSupported() {
  try {
    return Boolean(await navigator.xr?.isSessionSupported('immersive-ar'));
  } catch {
    return false;
  }
}

export function xrActive() { return Boolean(session); }

/** Updates the pinned card's text (called by step mode on every render). */
export function updateXr(head, text) {
  if (!overlay) return;
  overlay.querySelector('.xr-head').textContent = head;
  overlay.querySelector('.xr-text').textContent = text;
}

function transform(m, p) {
  const [x, y, z, w] = p;
  return [0, 1, 2, 3].map((r) => m[r] * x + m[4 + r] * y + m[8 + r] * z + m[12 + r] * w);
}

export async function placeCard(ctx) {
  if (session) { pinNow?.(); return; }
  overlay = document.getElementById('xr');
  const card = overlay.querySelector('.xr-card');
  try {
    session = await navigator.xr.requestSession('immersive-ar', {
      requiredFeatures: ['dom-overlay'],
      optionalFeatures: ['hit-test', 'anchors', 'local'],
      domOverlay: { root: overlay },
    });
  } catch (e) {
    ctx.toast(t('xr.unavailable', { detail: e.message || e.name }), 'warn');
    session = null;
    return;
  }
  overlay.hidden = false;
  ctx.render();
  const gl = document.createElement('canvas').getContext('webgl', { xrCompatible: true });
  session.updateRenderState({ baseLayer: new XRWebGLLayer(session, gl) });
  const space = await session.requestReferenceSpace('local');
  const viewer = await session.requestReferenceSpace('viewer');
  const hits = session.requestHitTestSource ? await session.requestHitTestSource({ space: viewer }).catch(() => null) : null;
  let lastHit = null;
  let anchor = null;
  let fixed = null; // a pose without anchors support
  pinNow = async () => {
    if (!lastHit) { ctx.toast(t('xr.point'), 'info', 2000); return; }
    try { anchor = lastHit.createAnchor ? await lastHit.createAnchor() : null; } catch { anchor = null; }
    if (!anchor) fixed = lastHit.getPose(space)?.transform.position;
    ctx.toast(t('xr.placed'), 'ok', 1500);
  };
  session.addEventListener('select', () => pinNow());
  session.addEventListener('end', () => {
    session = null;
    pinNow = null;
    overlay.hidden = true;
    hits?.cancel?.();
    ctx.render();
  });
  const frame = (t, xrFrame) => {
    if (!session) return;
    session.requestAnimationFrame(frame);
    const layer = session.renderState.baseLayer;
    gl.bindFramebuffer(gl.FRAMEBUFFER, layer.framebuffer);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
    const pose = xrFrame.getViewerPose(space);
    if (!pose) return;
    if (hits) lastHit = xrFrame.getHitTestResults(hits)[0] || lastHit;
    let world = fixed;
    if (anchor && xrFrame.trackedAnchors?.has(anchor)) world = xrFrame.getPose(anchor.anchorSpace, space)?.transform.position;
    if (!world) { card.style.transform = 'translate(-50%, -50%)'; card.style.left = '50%'; card.style.top = '45%'; return; }
    const view = pose.views[0];
    const eye = transform(view.transform.inverse.matrix, [world.x, world.y, world.z, 1]);
    const clip = transform(view.projectionMatrix, eye);
    if (clip[3] <= 0) { card.style.opacity = '0'; return; }
    const vp = layer.getViewport(view);
    const sx = ((clip[0] / clip[3] + 1) / 2) * (vp.width / devicePixelRatio);
    const sy = ((1 - clip[1] / clip[3]) / 2) * (vp.height / devicePixelRatio);
    const scale = Math.max(0.4, Math.min(1.5, 1 / Math.max(0.3, -eye[2])));
    card.style.opacity = '1';
    card.style.left = `${sx}px`;
    card.style.top = `${sy}px`;
    card.style.transform = `translate(-50%, -100%) scale(${scale})`;
  };
  session.requestAnimationFrame(frame);
}

export function endXr() { session?.end().catch(() => {}); }
