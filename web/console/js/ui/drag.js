// Pointer-based drag and drop (mouse, pen and touch alike): the element
// follows the pointer as a ghost; targets are found under the pointer.
// Used by the board (cards onto stage columns) and the calendar (blocks onto
// technician rows and times).

const THRESHOLD = 5;

/**
 * draggable(el, {onStart(), onMove({x, y, target}), onDrop({x, y, target}), onCancel(), targetSelector})
 * `target` is the closest element under the pointer matching targetSelector.
 */
export function draggable(el, opts) {
  // Links inside stay clickable; the browser's own link dragging is off.
  el.addEventListener('dragstart', (e) => e.preventDefault());
  el.addEventListener('pointerdown', (down) => {
    if (down.button !== 0 || down.target.closest('button, input, select, textarea')) return;
    const startX = down.clientX;
    const startY = down.clientY;
    const rect = el.getBoundingClientRect();
    const offX = startX - rect.left;
    const offY = startY - rect.top;
    let ghost = null;
    let over = null;

    const targetAt = (x, y) => {
      if (ghost) ghost.hidden = true;
      const hit = document.elementFromPoint(x, y);
      if (ghost) ghost.hidden = false;
      return hit ? hit.closest(opts.targetSelector) : null;
    };
    const move = (e) => {
      if (!ghost) {
        if (Math.hypot(e.clientX - startX, e.clientY - startY) < THRESHOLD) return;
        ghost = el.cloneNode(true);
        ghost.classList.add('drag-ghost');
        // The clone keeps its source's placement (a calendar block is
        // absolutely placed within its row): the ghost is placed by the
        // pointer alone, in the viewport.
        Object.assign(ghost.style, { position: 'fixed', left: '0', top: '0', right: 'auto', bottom: 'auto', margin: '0',
          width: `${rect.width}px`, height: `${rect.height}px` });
        document.body.append(ghost);
        el.classList.add('is-dragging');
        document.body.classList.add('dragging');
        opts.onStart?.();
      }
      e.preventDefault();
      ghost.style.transform = `translate(${e.clientX - offX}px, ${e.clientY - offY}px)`;
      const target = targetAt(e.clientX, e.clientY);
      if (target !== over) {
        over?.classList.remove('drop-over');
        target?.classList.add('drop-over');
        over = target;
      }
      opts.onMove?.({ x: e.clientX, y: e.clientY, left: e.clientX - offX, target });
    };
    const finish = (e, cancelled) => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', cancel);
      window.removeEventListener('keydown', escape);
      over?.classList.remove('drop-over');
      el.classList.remove('is-dragging');
      document.body.classList.remove('dragging');
      if (!ghost) return;
      ghost.remove();
      ghost = null;
      // A drag is not a click.
      const swallow = (c) => { c.preventDefault(); c.stopPropagation(); };
      window.addEventListener('click', swallow, { capture: true, once: true });
      setTimeout(() => window.removeEventListener('click', swallow, { capture: true }), 0);
      if (cancelled) opts.onCancel?.();
      else opts.onDrop?.({ x: e.clientX, y: e.clientY, left: e.clientX - offX, target: targetAt(e.clientX, e.clientY) });
    };
    const up = (e) => finish(e, false);
    const cancel = (e) => finish(e, true);
    const escape = (e) => { if (e.key === 'Escape') finish(e, true); };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', cancel);
    window.addEventListener('keydown', escape);
  });
}
