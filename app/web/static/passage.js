// sosei: the cited-passage panel (a modal <dialog> used as a side drawer). Passage text is untrusted: it is
// shown with text nodes only; Markdown table rows become a real table of text cells.
(function () {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const panel = $("passage-panel");
  const strings = JSON.parse($("ui-strings").textContent);
  let lastChip = null;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function sectionId(heading) {
    return "sec-" + heading.trim().replace(/\s+/g, "-"); // same rule as app/web/markdown.py
  }

  function documentUrl(citation) {
    const base = "/documents/" + encodeURIComponent(citation.doc_id || "");
    return citation.heading ? base + "#" + encodeURIComponent(sectionId(citation.heading)) : base;
  }

  // Passage text as paragraphs, with Markdown table rows as a real table (cells as text, never HTML).
  function passageNodes(text) {
    const nodes = [];
    let paragraph = [];
    let table = null;
    const flush = () => {
      if (paragraph.length) nodes.push(el("p", null, paragraph.join("\n")));
      paragraph = [];
    };
    for (const raw of String(text || "").split("\n")) {
      const line = raw.trim();
      if (line.startsWith("|")) {
        flush();
        if (/^\|[\s:|-]+\|?$/.test(line)) continue; // separator row
        const cells = line.replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
        if (!table) {
          table = el("table", "passage-table");
          nodes.push(table);
          const head = table.createTHead().insertRow();
          for (const cell of cells) head.append(el("th", null, cell));
        } else {
          const row = (table.tBodies[0] || table.createTBody()).insertRow();
          for (const cell of cells) row.append(el("td", null, cell));
        }
        continue;
      }
      table = null;
      if (!line) flush();
      else paragraph.push(line.replace(/^#{1,6}\s+/, ""));
    }
    flush();
    return nodes;
  }

  function openPanel(citation, opener) {
    lastChip = opener;
    $("panel-n").textContent = String(citation.n);
    $("panel-doc").textContent = citation.title || citation.doc_id;
    const section = $("panel-section");
    section.textContent = citation.heading ? strings.panel_section + citation.heading : "";
    section.hidden = !citation.heading;
    const text = $("panel-text");
    text.replaceChildren(...passageNodes(citation.text));
    $("panel-link").href = documentUrl(citation);
    if (typeof panel.showModal === "function") {
      if (!panel.open) panel.showModal();
    } else {
      panel.setAttribute("open", "");
    }
    $("panel-close").focus();
  }

  function closePanel() {
    if (typeof panel.close === "function") panel.close();
    else panel.removeAttribute("open");
  }

  panel.addEventListener("close", () => {
    if (lastChip && document.contains(lastChip)) lastChip.focus();
  });
  $("panel-close").addEventListener("click", closePanel);
  panel.addEventListener("click", (event) => {
    // A click on the backdrop lands on the dialog itself, outside its box.
    const box = panel.getBoundingClientRect();
    const outside = event.clientX < box.left || event.clientX > box.right || event.clientY < box.top || event.clientY > box.bottom;
    if (event.target === panel && outside) closePanel();
  });

  window.SoseiPassage = { open: openPanel, close: closePanel };
})();
