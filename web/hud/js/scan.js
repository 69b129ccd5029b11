// Camera access for QR labels and photos. QR decoding uses the platform's
// BarcodeDetector where it exists, else jsQR (copied from npm by build-web, loaded only
// when a scan starts). Photos are downscaled to ≤ 1600 px JPEG on the device:
// re-encoding through a canvas also drops EXIF (and its GPS position).

import { t } from './i18n.js';

let stream = null;

export async function openCamera(video) {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error(t('camera.unsupported'));
  stopCamera();
  stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: { ideal: 'environment' }, width: { ideal: 1920 }, height: { ideal: 1080 } },
  });
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play();
}

export function stopCamera() {
  for (const t of stream?.getTracks() || []) t.stop();
  stream = null;
}

let jsqrPromise = null;
function loadJsQR() {
  if (self.jsQR) return Promise.resolve(self.jsQR);
  jsqrPromise ||= new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = '/hud/vendor/jsQR.js';
    s.onload = () => resolve(self.jsQR);
    s.onerror = () => { jsqrPromise = null; reject(new Error(t('scan.decoder_missing'))); };
    document.head.append(s);
  });
  return jsqrPromise;
}

async function detector() {
  if (!('BarcodeDetector' in self)) return null;
  try {
    const formats = await BarcodeDetector.getSupportedFormats();
    return formats.includes('qr_code') ? new BarcodeDetector({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

/**
 * Looks for a QR code in the video until found or `signal` aborts.
 * Resolves with the decoded text.
 */
export async function scanQr(video, signal) {
  const native = await detector();
  const decode = native ? null : await loadJsQR();
  const canvas = document.createElement('canvas');
  const g = canvas.getContext('2d', { willReadFrequently: true });
  while (!signal.aborted) {
    if (video.readyState >= 2 && video.videoWidth) {
      if (native) {
        const codes = await native.detect(video).catch(() => []);
        if (codes[0]?.rawValue) return codes[0].rawValue;
      } else {
        const scale = Math.min(1, 800 / Math.max(video.videoWidth, video.videoHeight));
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        g.drawImage(video, 0, 0, canvas.width, canvas.height);
        const img = g.getImageData(0, 0, canvas.width, canvas.height);
        const found = decode(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' });
        if (found?.data) return found.data;
      }
    }
    await new Promise((r) => setTimeout(r, 120));
  }
  throw new DOMException('scan stopped', 'AbortError');
}

/** A JPEG of at most `max` px on its long side, from a video frame, image or file. */
export async function toJpeg(source, max = 1600, quality = 0.85) {
  let src = source;
  let w;
  let h;
  if (source instanceof Blob) {
    src = await createImageBitmap(source, { imageOrientation: 'from-image' });
    w = src.width; h = src.height;
  } else if (source instanceof HTMLVideoElement) {
    w = source.videoWidth; h = source.videoHeight;
  } else {
    w = source.width; h = source.height;
  }
  if (!w || !h) throw new Error(t('photo.no_picture'));
  const scale = Math.min(1, max / Math.max(w, h));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  canvas.getContext('2d').drawImage(src, 0, 0, canvas.width, canvas.height);
  src.close?.();
  const blob = await new Promise((r) => canvas.toBlob(r, 'image/jpeg', quality));
  if (!blob) throw new Error(t('photo.not_encoded'));
  return blob;
}

/** What a scanned QR code means: {pair: CODE} | {machine: CODE} | null. */
export function readLabel(text) {
  const t = String(text || '').trim();
  const pair = /[#&?]pair=([A-Za-z0-9 -]{6,12})/.exec(t);
  if (pair) return { pair: pair[1] };
  const m = /\/m\/([^/?#\s]+)/.exec(t);
  if (m) return { machine: decodeURIComponent(m[1]) };
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(t)) return { machine: t };
  return null;
}
