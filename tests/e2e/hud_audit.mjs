// Checks run inside a HUD page (page.evaluate), computed from the live
// layout: what a technician would notice on the display.
//
// layoutAudit({safe, minFont, minTarget, minContrast}) → [problem]:
//  - the page never scrolls; every element (its visible part) and every
//    actionable one lies inside the safe area; actionable elements are at
//    least `minTarget` px tall;
//  - text is at least `minFont` px and has contrast ≥ `minContrast` (placeholders too);
//  - no text overflows its box or touches a button's edge; only elements marked
//    data-fit="ellipsis" may end in an ellipsis;
//  - safety and instruction text (and titles) are never ellipsed, line-clamped or
//    clipped: where a region shows only part of them it scrolls, with its
//    "more" hint showing;
//  - placeholders are visibly distinct from typed text (italic, another colour).
//
// untranslated(known) → [text]: visible words that are neither data
// (translate="no", <time>) nor a catalogue entry (`known`: [string | RegExp source]).

export function layoutAudit({ safe, minFont, minTarget, minContrast }) {
  const problems = [];
  const W = innerWidth;
  const H = innerHeight;
  const root = document.documentElement;
  if (root.scrollWidth > W || root.scrollHeight > H) problems.push(`page scrolls: ${root.scrollWidth}×${root.scrollHeight} in ${W}×${H}`);
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c || '');
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const lin = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  const lum = (c) => 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  const over = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let bg = { r: 255, g: 255, b: 255, a: 1 };
    for (const l of layers.reverse()) bg = over(l, bg);
    return bg;
  };
  const contrast = (fg, bg) => { const a = lum(fg) + 0.05; const b = lum(bg) + 0.05; return a > b ? a / b : b / a; };
  const scrolls = (cs) => cs.overflowY === 'auto' || cs.overflowY === 'scroll';
  /** The visible rectangle of `el` after its ancestors' clipping, and the ancestors that clip it. */
  const clipOf = (el) => {
    let r = { l: 0, t: 0, r: W, b: H };
    const clippers = [];
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
        const b = e.getBoundingClientRect();
        r = { l: Math.max(r.l, b.left), t: Math.max(r.t, b.top), r: Math.min(r.r, b.right), b: Math.min(r.b, b.bottom) };
        clippers.push(e);
      }
    }
    return { rect: r, clippers };
  };
  const hintShowing = (box) => {
    const hint = box.querySelector(':scope > .more-hint');
    return Boolean(hint && !hint.hidden);
  };
  const name = (el) => `${el.tagName.toLowerCase()}${typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
  const say = (el) => (el.textContent || el.placeholder || '').trim().replace(/\s+/g, ' ').slice(0, 32);
  const CRITICAL = '.safety-text, .step-text, .overview-text, .card-text, .entry-context, .item-title, .task-title, .step-count, .sheet-title, .entry-facts .tag';
  const ACTIONABLE = 'button, a[href], input, textarea, [data-cmd]';
  const skip = new Set([root, document.body, document.getElementById('app'), document.getElementById('sheet')]);
  const covered = !document.getElementById('sheet').hidden;
  for (const el of document.body.querySelectorAll('*')) {
    if (skip.has(el) || el.matches('.more-hint') || el.closest('[hidden], #xr, noscript') || (covered && el.closest('#app'))) continue;
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) === 0) continue;
    const b = el.getBoundingClientRect();
    if (b.width < 1 || b.height < 1) continue;
    const { rect: c, clippers } = clipOf(el);
    const box = { l: Math.max(b.left, c.l), t: Math.max(b.top, c.t), r: Math.min(b.right, c.r), b: Math.min(b.bottom, c.b) };
    if (box.r - box.l < 1 || box.b - box.t < 1) continue; // scrolled out of view
    const n = name(el);
    if (box.l < safe.l - 0.5 || box.t < safe.t - 0.5 || box.r > W - safe.r + 0.5 || box.b > H - safe.b + 0.5) {
      problems.push(`${n} "${say(el)}" outside the safe area: ${Math.round(box.l)},${Math.round(box.t)}–${Math.round(box.r)},${Math.round(box.b)}`);
    }
    const whole = box.t - b.top < 1 && b.bottom - box.b < 1;
    if (el.matches(ACTIONABLE) && whole && b.height < minTarget - 0.5) problems.push(`${n} "${say(el)}" is ${Math.round(b.height)} px tall (< ${minTarget})`);
    // Critical text: never ellipsed, clamped or clipped without a scroll hint.
    if (el.matches(CRITICAL)) {
      if (cs.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) problems.push(`${n} "${say(el)}" is ellipsed`);
      if (cs.webkitLineClamp && cs.webkitLineClamp !== 'none') problems.push(`${n} "${say(el)}" is line-clamped`);
      const self = (cs.overflowY !== 'visible' && el.scrollHeight > el.clientHeight + 1) ? [el] : [];
      for (const clipper of [...self, ...clippers]) {
        const cb = clipper === el ? { top: b.top, bottom: b.top + el.clientHeight, left: b.left, right: b.left + el.clientWidth } : clipper.getBoundingClientRect();
        const cut = clipper === el ? true : (b.top < cb.top - 1 || b.bottom > cb.bottom + 1 || b.left < cb.left - 1 || b.right > cb.right + 1);
        if (!cut) continue;
        const ccs = getComputedStyle(clipper);
        if (!scrolls(ccs)) problems.push(`${n} "${say(el)}" is clipped by ${name(clipper)}`);
        else if (!hintShowing(clipper) && b.bottom > cb.bottom + 1) problems.push(`${n} "${say(el)}" continues below ${name(clipper)} with no hint`);
      }
    }
    const texts = [...el.childNodes].filter((t) => t.nodeType === 3 && t.textContent.trim());
    const field = (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') && el.type !== 'file';
    if (!texts.length && !field) continue;
    const size = parseFloat(cs.fontSize);
    if (size < minFont - 0.01) problems.push(`${n} "${say(el)}" is ${size}px`);
    const bg = background(el);
    const fg = parse(cs.color);
    if (fg && contrast(over(fg, bg), bg) < minContrast) problems.push(`${n} "${say(el)}" contrast ${contrast(over(fg, bg), bg).toFixed(2)}`);
    if (field && !el.value && el.placeholder) {
      const ps = getComputedStyle(el, '::placeholder');
      const pc = parse(ps.color);
      if (pc && contrast(over(pc, bg), bg) < minContrast) problems.push(`${n} placeholder "${el.placeholder}" contrast ${contrast(over(pc, bg), bg).toFixed(2)}`);
      if (ps.fontStyle !== 'italic' || ps.color === cs.color) problems.push(`${n} placeholder "${el.placeholder}" looks like typed text`);
      if (parseFloat(ps.fontSize) < minFont - 0.01) problems.push(`${n} placeholder is ${ps.fontSize}`);
    }
    // Overflow: the text stays inside its box (ellipsis only where the markup allows it).
    const allowEllipsis = el.closest('[data-fit="ellipsis"]');
    if (!allowEllipsis && !scrolls(cs) && (el.scrollWidth > el.clientWidth + 1 || (cs.overflowY !== 'visible' && el.scrollHeight > el.clientHeight + 1))) {
      problems.push(`${n} "${say(el)}" overflows its box (${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight})`);
    }
    if (!allowEllipsis && !field && !scrolls(cs)) {
      const bl = parseFloat(cs.borderLeftWidth); const bt = parseFloat(cs.borderTopWidth);
      const br = parseFloat(cs.borderRightWidth); const bb = parseFloat(cs.borderBottomWidth);
      const inset = el.matches('button, .cmd, .tag, .chip') ? 1 : -1;
      for (const t of texts) {
        const range = document.createRange();
        range.selectNodeContents(t);
        for (const r of range.getClientRects()) {
          if (r.width < 1) continue;
          if (r.left < b.left + bl + inset - 1 || r.right > b.right - br - inset + 1 || r.top < b.top + bt + inset - 1 || r.bottom > b.bottom - bb - inset + 1) {
            problems.push(`${n} "${say(el)}" text leaves or touches its box`);
            break;
          }
        }
      }
    }
  }
  return [...new Set(problems)].slice(0, 30);
}

export function untranslated(known) {
  const exact = new Set(known.filter((k) => !k.startsWith('re:')).map((s) => s.replace(/\s+/g, ' ').trim()));
  const patterns = known.filter((k) => k.startsWith('re:')).map((k) => new RegExp(k.slice(3), 's'));
  const isData = (el) => !el || el.closest('[translate="no"], time, script, style, noscript, #xr');
  const ok = (text) => {
    const s = text.replace(/\s+/g, ' ').trim();
    if (!s || /^[\d\s.,:;/–\-+%()#°·×|]+$/.test(s) || s === 'VISOR') return true;
    if (exact.has(s) || patterns.some((re) => re.test(s))) return true;
    return s.split(' · ').length > 1 && s.split(' · ').every((part) => ok(part));
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (isData(el) || !el.checkVisibility?.() || el.closest('[hidden]')) continue;
    if (!ok(n.textContent)) out.push(n.textContent.trim());
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
    if (isData(el) || el.closest('[hidden]')) continue;
    for (const attr of ['placeholder', 'aria-label', 'title']) {
      let v = el.getAttribute(attr);
      if (!v) continue;
      if (attr === 'title') v = v.split('|').filter((p) => !/^hf_/.test(p)).join('|'); // WearHF directives
      if (v && !ok(v)) out.push(`${attr}: ${v}`);
    }
  }
  return [...new Set(out)];
}
