// The briefing basket: cases a trainer collects from case pages and chat citations, kept in this browser
// (localStorage) until a briefing is built from them. Buttons carry data-basket-add="<case id>" and
// data-basket-title; the builder page lists the basket in #basket and sends its ids as `case` fields.
(() => {
  const KEY = "sosei-basket";
  const MAX = 6;
  const read = () => {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch { return []; }
  };
  const write = (items) => localStorage.setItem(KEY, JSON.stringify(items.slice(0, MAX)));

  const markAdded = (button) => {
    button.textContent = button.dataset.addedLabel || button.textContent;
    button.setAttribute("aria-pressed", "true");
  };

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-basket-add]");
    if (!button) return;
    event.preventDefault();
    const items = read();
    if (!items.some((item) => item.id === button.dataset.basketAdd)) {
      items.push({ id: button.dataset.basketAdd, title: button.dataset.basketTitle || button.dataset.basketAdd });
      write(items);
    }
    markAdded(button);
  });
  for (const button of document.querySelectorAll("[data-basket-add]")) {
    if (read().some((item) => item.id === button.dataset.basketAdd)) markAdded(button);
  }

  const list = document.getElementById("basket");
  if (!list) return;
  const render = () => {
    const items = read();
    list.replaceChildren();
    document.getElementById("basket-empty").hidden = items.length > 0;
    document.getElementById("basket-actions").hidden = items.length === 0;
    for (const item of items) {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = `/cases/${encodeURIComponent(item.id)}`;
      link.textContent = item.title;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-small";
      remove.textContent = list.dataset.removeLabel;
      remove.addEventListener("click", () => { write(read().filter((other) => other.id !== item.id)); render(); });
      li.append(link, " ", remove);
      list.append(li);
    }
  };
  document.getElementById("basket-clear")?.addEventListener("click", () => { write([]); render(); });
  document.getElementById("basket-use")?.addEventListener("click", () => {
    const form = document.getElementById("briefing-form");
    form.querySelectorAll("input[name=case]").forEach((input) => input.remove());
    for (const item of read()) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "case";
      input.value = item.id;
      form.append(input);
    }
    form.requestSubmit();
  });
  render();

  // Section order: move a section up or down; the form sends the ticked sections in the order shown.
  document.addEventListener("click", (event) => {
    const move = event.target.closest("[data-move]");
    if (!move) return;
    const item = move.closest("li");
    if (move.dataset.move === "up" && item.previousElementSibling) item.previousElementSibling.before(item);
    if (move.dataset.move === "down" && item.nextElementSibling) item.nextElementSibling.after(item);
    move.focus();
  });
})();
