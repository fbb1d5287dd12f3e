"""What a page looks like at one width, measured in the browser (for the phone-layout tests).

:data:`PROBE` runs in the page and returns, for the viewport it is shown in:

- ``overflow``: how far the document scrolls sideways (``scrollWidth - innerWidth``);
- ``outside``: elements whose box reaches past the left or right edge of the viewport;
- ``scrollers``: boxes that scroll sideways (content wider than the box), e.g. a table in
  its wrapper; the contents bar (``nav.nbr-toc``) is the one allowed to, by design;
- ``small_text``: visible text drawn under :data:`MIN_TEXT_PX` CSS pixels: HTML text by its
  computed font size (times any CSS scale), SVG text by its rendered height, chart images
  by their smallest font (``data-text-px``, measured from the figure) times the ratio of
  their rendered width to their drawn width;
- ``charts_unmeasured``: chart images that do not say their smallest font;
- ``headers``: per table, whether its column headers, or (when the phone layout stacks it
  into cards) each cell's column label, are visible;
- ``counts``: tables, charts and screens (document height / viewport height), in the
  whole report and before the appendix.

Elements that are deliberately off screen (the skip link until it has focus) or clipped
to nothing (visually hidden text for screen readers) are not reported.
"""

from __future__ import annotations

MIN_TEXT_PX = 11.0

PROBE = r"""
(minText) => {
  const width = window.innerWidth;
  const hiddenBy = (el) => {
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === 'none' || style.visibility === 'hidden') return 'hidden';
      if (style.clipPath === 'inset(50%)' || style.clip === 'rect(0px, 0px, 0px, 0px)') return 'clipped';
      if (node.classList.contains('nbr-skip')) return 'skip-link';
    }
    return null;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const inToc = (el) => !!el.closest('nav.nbr-toc ol');
  const outside = [], scrollers = [], smallText = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (hiddenBy(el)) continue;
    if (!inToc(el) && (box.left < -0.5 || box.right > width + 0.5)) {
      outside.push(`${name(el)} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
    const style = getComputedStyle(el);
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1
        && !el.matches('nav.nbr-toc')) {
      scrollers.push(`${name(el)} ${el.scrollWidth} > ${el.clientWidth}`);
    }
    const ownText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!ownText) continue;
    let shown;
    if (el instanceof SVGElement) {
      shown = box.height;
    } else {
      const scale = el.offsetWidth ? box.width / el.offsetWidth : 1;
      shown = parseFloat(style.fontSize) * scale;
    }
    if (shown < minText - 0.01) {
      smallText.push(`${name(el)} ${shown.toFixed(1)}px: ${el.textContent.trim().slice(0, 40)}`);
    }
  }
  const chartsUnmeasured = [];
  for (const img of document.querySelectorAll('figure.chart img')) {
    if (hiddenBy(img)) continue;
    const variants = [img, ...(img.parentElement.tagName === 'PICTURE'
        ? img.parentElement.querySelectorAll('source') : [])];
    const chosen = variants.find(v => (v.getAttribute('src') || v.getAttribute('srcset')) === img.currentSrc);
    const textPx = chosen && parseFloat(chosen.dataset.textPx);
    const drawnWidth = chosen && parseFloat(chosen.getAttribute('width'));
    if (!textPx || !drawnWidth) { chartsUnmeasured.push(img.alt.slice(0, 60)); continue; }
    const shown = textPx * img.getBoundingClientRect().width / drawnWidth;
    if (shown < minText - 0.01) smallText.push(`chart ${shown.toFixed(1)}px: ${img.alt.slice(0, 60)}`);
  }
  const headers = [...document.querySelectorAll('main table')].filter(t => !hiddenBy(t)).map(table => {
    const caption = (table.caption ? table.caption.textContent : '').trim().slice(0, 60);
    const heads = [...table.querySelectorAll('thead th')];
    if (!heads.length) return {caption, visible: true, how: 'no header row'};
    const visibleHead = heads.every(th => {
      const box = th.getBoundingClientRect();
      return !hiddenBy(th) && box.width > 0 && box.height > 0 && box.left >= -0.5 && box.right <= width + 0.5;
    });
    if (visibleHead) return {caption, visible: true, how: 'header row'};
    const cells = [...table.querySelectorAll('tbody td, tbody th, tfoot td, tfoot th')]
        .filter(c => !hiddenBy(c) && c.textContent.trim());
    const unlabelled = cells.filter(c => {
      const label = c.dataset.label || '';
      const shown = getComputedStyle(c, '::before').content;
      const isRowName = c.matches('th[scope="row"]');
      return !isRowName && !(label && shown.includes(label.replace(/"/g, '\\"')));
    });
    return {caption, visible: cells.length > 0 && unlabelled.length === 0, how: 'cards',
            unlabelled: unlabelled.slice(0, 3).map(c => c.textContent.trim().slice(0, 30))};
  });
  const appendix = document.getElementById("appendix");
  const before = (el) => !appendix || (appendix.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING);
  const tables = [...document.querySelectorAll('main table')];
  const charts = [...document.querySelectorAll('main figure.chart')];
  const height = document.documentElement.scrollHeight;
  const bodyHeight = appendix ? appendix.getBoundingClientRect().top + window.scrollY : height;
  return {
    overflow: document.documentElement.scrollWidth - width,
    outside, scrollers, small_text: smallText, charts_unmeasured: chartsUnmeasured, headers,
    counts: {screens: height / window.innerHeight, body_screens: bodyHeight / window.innerHeight,
             tables: tables.length, body_tables: tables.filter(before).length,
             charts: charts.length, body_charts: charts.filter(before).length},
  };
}
"""
