// sosei chat: streams answers from POST /api/chat (Server-Sent Events) and keeps the conversation in
// localStorage. Everything from the server or the user is untrusted: it only ever reaches the page as
// text (textContent / text nodes), never as HTML.
(function () {
  "use strict";

  const STORE_KEY = "sosei.chat.v1";
  const MAX_TURNS = 20; // the API accepts at most 20 history turns
  const MAX_TURN_CHARS = 8000;
  const CITE = /\[(\d{1,2})\]/g;

  const $ = (id) => document.getElementById(id);
  const strings = JSON.parse($("ui-strings").textContent);
  const lang = document.documentElement.lang === "en" ? "en" : "zh-TW";
  const conversation = $("conversation");
  const form = $("ask-form");
  const input = $("question");
  const send = $("send");
  const starters = $("starters");
  const newChat = $("new-chat");
  const passage = window.SoseiPassage;

  let messages = load();
  let busy = false;

  // --- storage --------------------------------------------------------------------------------------------
  function load() {
    try {
      const data = JSON.parse(localStorage.getItem(STORE_KEY) || "[]");
      return Array.isArray(data) ? data.filter((m) => m && typeof m.content === "string") : [];
    } catch (_) {
      return [];
    }
  }

  function save() {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(messages.slice(-40)));
    } catch (_) {
      /* storage full or disabled: the conversation still works for this page */
    }
  }

  function history() {
    return messages
      .filter((m) => !m.error && m.content)
      .slice(-MAX_TURNS)
      .map((m) => {
        const turn = { role: m.role, content: m.content.slice(0, MAX_TURN_CHARS) };
        // the cited documents let a follow-up point at one of them (「宜蘭那個」)
        if (m.role === "assistant" && Array.isArray(m.citations)) {
          turn.cited = [...new Set(m.citations.map((c) => c && c.doc_id).filter(Boolean))].slice(0, 20);
        }
        return turn;
      });
  }

  // --- DOM helpers ----------------------------------------------------------------------------------------
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function chip(citation) {
    const button = el("button", "cite", String(citation.n));
    button.type = "button";
    button.dataset.n = String(citation.n);
    button.setAttribute("aria-label", strings.chat_open_citation + " " + citation.n + ": " + (citation.title || ""));
    button.title = citation.title || "";
    button.addEventListener("click", () => passage.open(citation, button));
    return button;
  }

  // Inline text: **bold** becomes <strong>, [n] becomes a chip for a citation that exists; the rest is text.
  function fillInline(node, text, byN) {
    const parts = text.split(/(\*\*[^*\n]+\*\*)/);
    for (const part of parts) {
      if (!part) continue;
      const bold = /^\*\*([^*\n]+)\*\*$/.exec(part);
      const target = bold ? node.appendChild(el("strong")) : node;
      const piece = bold ? bold[1] : part;
      let last = 0;
      for (const match of piece.matchAll(CITE)) {
        const citation = byN.get(Number(match[1]));
        if (!citation) continue;
        target.append(document.createTextNode(piece.slice(last, match.index)));
        target.append(chip(citation));
        last = match.index + match[0].length;
      }
      target.append(document.createTextNode(piece.slice(last)));
    }
  }

  // The answer is a small Markdown subset (paragraphs, "- " and "1. " lists, **bold**, [n]): it is built as
  // DOM nodes from text, so nothing in an answer — the corpus's or a model's — is ever parsed as HTML.
  function fillAnswer(node, text, citations) {
    node.replaceChildren();
    const byN = new Map((citations || []).map((c) => [c.n, c]));
    let list = null;
    let paragraph = null;
    for (const raw of text.split("\n")) {
      const line = raw.trimEnd();
      const item = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/.exec(line);
      if (item) {
        const tag = item[1] ? "ul" : "ol";
        if (!list || list.tagName.toLowerCase() !== tag) list = node.appendChild(el(tag));
        paragraph = null;
        fillInline(list.appendChild(el("li")), item[3], byN);
      } else if (!line.trim()) {
        list = null;
        paragraph = null;
      } else {
        list = null;
        if (paragraph) paragraph.append(document.createTextNode(" "));
        else paragraph = node.appendChild(el("p"));
        fillInline(paragraph, line, byN);
      }
    }
  }

  // --- rendering ------------------------------------------------------------------------------------------
  function renderUser(message) {
    const article = el("article", "msg msg-user");
    article.append(el("h3", "msg-who", strings.chat_you), el("p", "msg-text", message.content));
    conversation.append(article);
    return article;
  }

  function renderAssistant(message) {
    const article = el("article", "msg msg-bot");
    const who = el("h3", "msg-who", strings.chat_sosei);
    const badge = el("span", "msg-mode");
    who.append(badge);
    const notice = el("p", "msg-notice");
    notice.hidden = true;
    const body = el("div", "msg-text answer");
    const sources = el("section", "sources");
    sources.hidden = true;
    const actions = el("div", "msg-actions");
    actions.hidden = true;
    article.append(who, notice, body, sources, actions);
    conversation.append(article);
    const view = { article, badge, notice, body, sources, actions };
    if (message) updateAssistant(view, message, true);
    return view;
  }

  function updateAssistant(view, message, final) {
    view.article.classList.toggle("refused", !!message.refused);
    view.article.classList.toggle("msg-error", !!message.error);
    view.badge.textContent = message.error
      ? ""
      : message.refused
        ? strings.chat_refused
        : message.mode === "llm"
          ? strings.chat_mode_llm
          : message.mode
            ? strings.chat_mode_extractive
            : "";
    view.badge.hidden = !view.badge.textContent;
    view.notice.textContent = message.notice || "";
    view.notice.hidden = !message.notice;
    fillAnswer(view.body, message.content || "", message.citations);
    if (!message.content && view.article.classList.contains("streaming")) {
      view.body.append(el("span", "thinking", strings.chat_thinking));
    }
    renderSources(view.sources, message.citations || []);
    if (final && !message.error) renderActions(view.actions, message);
  }

  function renderSources(section, citations) {
    section.replaceChildren();
    section.hidden = citations.length === 0;
    if (!citations.length) return;
    section.append(el("h4", "sources-title", strings.chat_sources));
    const list = el("ol", "sources-list");
    for (const citation of citations) {
      const item = el("li");
      const button = el("button", "source");
      button.type = "button";
      button.append(el("span", "cite cite-static", String(citation.n)));
      const label = el("span", "source-label");
      label.append(el("span", "source-title", citation.title || citation.doc_id));
      if (citation.heading) label.append(el("span", "source-heading", citation.heading));
      if (citation.kind === "upload") label.append(el("span", "tag tag-upload", strings.doc_kind_upload));
      button.append(label);
      button.addEventListener("click", () => passage.open(citation, button));
      item.append(button);
      if (citation.kind === "case") {
        // a cited case can go into the briefing basket (basket.js handles the click)
        const add = el("button", "btn btn-small btn-ghost basket-add", strings.chat_basket_add);
        add.type = "button";
        add.dataset.basketAdd = citation.doc_id;
        add.dataset.basketTitle = citation.title || citation.doc_id;
        add.dataset.addedLabel = strings.chat_basket_added;
        add.setAttribute("aria-label", strings.chat_basket_add + ": " + (citation.title || citation.doc_id));
        item.append(" ", add);
      }
      list.append(item);
    }
    section.append(list);
  }

  function renderActions(actions, message) {
    actions.replaceChildren();
    actions.hidden = false;
    const copy = el("button", "btn btn-small btn-ghost", strings.chat_copy);
    copy.type = "button";
    copy.addEventListener("click", async () => {
      await copyText(message.content);
      copy.textContent = strings.chat_copied;
      setTimeout(() => (copy.textContent = strings.chat_copy), 1800);
    });
    actions.append(copy);
    if (message.refused) return;
    const status = el("span", "feedback-status");
    status.setAttribute("role", "status");
    const up = vote("up", strings.chat_helpful);
    const down = vote("down", strings.chat_not_helpful);
    if (message.rating) {
      (message.rating === "up" ? up : down).setAttribute("aria-pressed", "true");
      up.disabled = down.disabled = true;
      status.textContent = strings.chat_thanks;
    }
    actions.append(up, down, status);

    function vote(rating, label) {
      const button = el("button", "btn btn-small btn-ghost vote");
      button.type = "button";
      button.append(thumb(rating === "down"));
      button.setAttribute("aria-label", label);
      button.title = label;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", async () => {
        up.disabled = down.disabled = true;
        button.setAttribute("aria-pressed", "true");
        const ok = await sendFeedback(message, rating);
        if (ok) {
          message.rating = rating;
          save();
          status.textContent = strings.chat_thanks;
        } else {
          up.disabled = down.disabled = false;
          button.setAttribute("aria-pressed", "false");
          status.textContent = strings.chat_feedback_failed;
        }
      });
      return button;
    }
  }

  // 👍 / 👎 as inline SVG, so they look the same without an emoji font.
  function thumb(down) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(ns, "path");
    path.setAttribute(
      "d",
      "M7 10v11H3V10h4zm2 11h8.3a2 2 0 0 0 2-1.6l1.4-7A2 2 0 0 0 18.7 10H14l.8-4.2a1.6 1.6 0 0 0-.4-1.4L13.5 3 8.6 8.6A2 2 0 0 0 9 10v11z"
    );
    path.setAttribute("fill", "currentColor");
    if (down) svg.style.transform = "rotate(180deg)";
    svg.append(path);
    return svg;
  }

  async function copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (_) {
      const area = el("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.append(area);
      area.select();
      try {
        document.execCommand("copy");
      } catch (_) {
        /* nothing more to try */
      }
      area.remove();
    }
  }

  async function sendFeedback(message, rating) {
    try {
      const response = await fetch("/api/feedback", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          question: (message.question || "-").slice(0, 2000),
          answer: message.content.slice(0, 20000),
          rating,
          citations: (message.citations || []).slice(0, 20),
          mode: message.mode || null,
        }),
      });
      return response.ok;
    } catch (_) {
      return false;
    }
  }

  function renderAll() {
    conversation.replaceChildren();
    for (const message of messages) {
      if (message.role === "user") renderUser(message);
      else renderAssistant(message);
    }
    const empty = messages.length === 0;
    starters.hidden = !empty;
    newChat.hidden = empty;
  }

  // --- asking ---------------------------------------------------------------------------------------------
  function* parseEvents(buffer) {
    // yields [event, data] for each complete block; the caller keeps the remainder
    for (const block of buffer) {
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (!data.length) continue;
      try {
        yield [event, JSON.parse(data.join("\n"))];
      } catch (_) {
        /* a malformed event is skipped */
      }
    }
  }

  async function ask(question) {
    question = question.trim();
    if (!question || busy) return;
    busy = true;
    send.disabled = true;
    const turns = history();
    const user = { role: "user", content: question };
    messages.push(user);
    starters.hidden = true;
    newChat.hidden = false;
    renderUser(user);
    const answer = { role: "assistant", content: "", citations: [], question, mode: "", refused: false };
    const view = renderAssistant(null);
    view.article.classList.add("streaming");
    updateAssistant(view, answer, false);
    conversation.setAttribute("aria-busy", "true");
    view.article.scrollIntoView({ block: "nearest", behavior: "smooth" });

    try {
      const response = await fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        body: JSON.stringify({ question, history: turns, lang }),
      });
      if (!response.ok || !response.body) {
        let detail = "";
        try {
          detail = (await response.json()).error || "";
        } catch (_) {
          /* not JSON */
        }
        throw new Error(detail || strings.chat_error);
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      let finished = false;
      while (!finished) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
        const blocks = buffer.split("\n\n");
        buffer = blocks.pop();
        for (const [event, data] of parseEvents(blocks)) {
          finished = handle(event, data, answer, view) || finished;
        }
      }
      if (!finished) throw new Error(strings.chat_error);
    } catch (error) {
      answer.error = true;
      answer.content = (error && error.message) || strings.chat_error;
      answer.citations = [];
    } finally {
      view.article.classList.remove("streaming");
      conversation.removeAttribute("aria-busy");
      updateAssistant(view, answer, true);
      messages.push(answer);
      save();
      busy = false;
      send.disabled = false;
    }
  }

  // Applies one stream event; true once the answer is complete.
  function handle(event, data, answer, view) {
    if (event === "meta") {
      answer.mode = data.mode || "";
      answer.refused = !!data.refused;
    } else if (event === "token" && typeof data === "string") {
      answer.content += data;
    } else if (event === "notice" && typeof data === "string") {
      answer.notice = data;
    } else if (event === "reset") {
      answer.content = "";
    } else if (event === "citations" && Array.isArray(data)) {
      answer.citations = data;
    } else if (event === "done" && data && typeof data.answer === "string") {
      answer.content = data.answer;
      answer.citations = Array.isArray(data.citations) ? data.citations : answer.citations;
      answer.refused = !!data.refused;
      answer.mode = data.mode || answer.mode;
      answer.notice = data.notice || answer.notice;
      return true;
    } else {
      return false;
    }
    updateAssistant(view, answer, false);
    return false;
  }

  // --- wiring ---------------------------------------------------------------------------------------------
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const question = input.value;
    if (!question.trim()) {
      input.focus();
      return;
    }
    input.value = "";
    ask(question);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  for (const button of starters.querySelectorAll("button[data-question]")) {
    button.addEventListener("click", () => {
      ask(button.dataset.question);
      input.focus();
    });
  }

  newChat.addEventListener("click", () => {
    messages = [];
    save();
    renderAll();
    input.value = "";
    input.focus();
  });

  renderAll();
})();
