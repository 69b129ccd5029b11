// The camera view: scanning a QR label (machine or pairing code) or taking
// a photo for a task/step. The video element survives re-renders.
import { h } from '../dom.js';
import { openCamera, stopCamera, scanQr, toJpeg, readLabel } from '../scan.js';
import { t } from '../i18n.js';

let video = null;
let scanning = null; // AbortController of the running scan
let failure = '';
let fileInput = null;

function pickFile(ctx, route) {
  fileInput ||= h('input', { type: 'file', accept: 'image/*', capture: 'environment', class: 'hidden-input' });
  fileInput.value = '';
  fileInput.onchange = () => { const f = fileInput.files?.[0]; if (f) savePhoto(ctx, route, f); };
  document.body.append(fileInput);
  fileInput.click();
}

async function savePhoto(ctx, route, source) {
  try {
    const blob = await toJpeg(source);
    ctx.act('photo', route.task, { step: route.step || null, blob, localUrl: URL.createObjectURL(blob) });
    ctx.toast(t('photo.saved', { kb: Math.round(blob.size / 1024) }), 'ok', 2000);
    ctx.go(route.back || { name: 'task', id: route.task });
  } catch (e) {
    ctx.toast(t('photo.failed', { detail: e.message }), 'error');
  }
}

export function handleScanned(text, ctx, route) {
  const label = readLabel(text);
  if (!label) { ctx.toast(t('scan.not_visor'), 'warn'); return false; }
  if (label.pair) { ctx.go({ name: 'pair', code: label.pair, auto: true }); return true; }
  ctx.toast(t('scan.machine', { code: label.machine }), 'ok', 1500);
  if (route.then === 'report') ctx.go({ name: 'report', code: label.machine, back: route.back });
  else ctx.go({ name: 'machine', code: label.machine, back: route.back });
  return true;
}

export const camera = {
  view(route, ctx) {
    video ||= h('video', { class: 'camera-video', autoplay: true, muted: true, playsInline: true });
    const photo = route.mode === 'photo';
    const back = { id: 'BACK', bar: true, run: () => ctx.go(route.back || { name: 'work' }) };
    const commands = photo
      ? [{ id: 'PHOTO', bar: true, primary: !failure, disabled: Boolean(failure), run: () => savePhoto(ctx, route, video) },
        { id: 'CHOOSE', bar: true, primary: Boolean(failure), run: () => pickFile(ctx, route) }, back]
      : [back];
    const hint = failure || (photo ? t('photo.hint', { cmd: t('cmd.PHOTO') }) : t('scan.hint'));
    return {
      title: photo ? (route.step ? t('title.photo_step', { n: route.step }) : t('title.photo')) : t('title.scan'),
      body: h('div', { class: 'camera panel' }, video, photo ? null : h('div', { class: 'scan-frame', 'aria-hidden': 'true' }),
        h('div', { class: `camera-hint ${failure ? 'warn' : ''}`, text: hint })),
      commands,
      nav: 'form',
    };
  },
  enter(route, ctx) {
    failure = '';
    scanning?.abort();
    const ctrl = new AbortController();
    scanning = ctrl;
    openCamera(video).then(async () => {
      if (route.mode !== 'scan') return;
      const text = await scanQr(video, ctrl.signal);
      if (!ctrl.signal.aborted) handleScanned(text, ctx, route);
    }).catch((e) => {
      if (ctrl.signal.aborted || e.name === 'AbortError') return;
      failure = e.name === 'NotAllowedError' ? t('camera.blocked') : t('camera.none', { detail: e.message });
      ctx.render();
    });
  },
  leave() {
    scanning?.abort();
    scanning = null;
    stopCamera();
    if (video) video.srcObject = null;
  },
};
