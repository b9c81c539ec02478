// Browser slides of a briefing pack: reveal.js with its own keyboard navigation (arrows, space, F for full
// screen, Esc for the overview). Kept in a file so the page needs no inline script (CSP).
/* global Reveal */
if (typeof Reveal !== "undefined") {
  Reveal.initialize({ hash: true, slideNumber: "c/t", center: false, width: 1200, height: 800, margin: 0.06 });
}
