// The print page's "print" link (a file, not an inline handler, so the page needs no inline script).
document.getElementById("print-now")?.addEventListener("click", (event) => {
  event.preventDefault();
  window.print();
});
