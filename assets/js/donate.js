// Donation form niceties; the form works the same without them.
// - The button names the gift: "Give € 25 every month".
// - Typing an amount selects "Another amount"; picking a preset clears it.
// - A random token per page view lets /api/donate turn a double click into
//   one Stripe session (same idempotency key) instead of two.

const token = (win) => {
  const bytes = new Uint8Array(18);
  win.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
};

// Same rules as the server's ParseAmount: digits, one "," or "." and at most
// two decimals; anything else gives no label rather than a wrong one.
export function parseCents(text) {
  const m = /^\s*€?\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*€?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || "0").padEnd(2, "0"));
}

export function initDonateForm(doc) {
  const form = doc.querySelector("form.donate-form");
  if (!form) return;
  const win = doc.defaultView;
  const button = form.querySelector("button[type=submit]");
  const other = form.elements.namedItem("amount_other");
  const otherChoice = doc.getElementById("donate-amount-other-choice");
  const plain = button.textContent;
  const money = (cents) => new Intl.NumberFormat(form.dataset.locale, {
    style: "currency",
    currency: form.dataset.currency,
    minimumFractionDigits: cents % 100 === 0 ? 0 : 2,
  }).format(cents / 100);

  const hidden = doc.createElement("input");
  hidden.type = "hidden";
  hidden.name = "token";
  hidden.value = token(win);
  form.append(hidden);

  const update = () => {
    const data = new win.FormData(form);
    const typed = (data.get("amount_other") || "").trim();
    const chosen = data.get("amount");
    const cents = typed !== "" ? parseCents(typed) : (chosen && chosen !== "other" ? parseCents(chosen) : null);
    const template = data.get("frequency") === "monthly" ? form.dataset.labelMonthly : form.dataset.labelOnce;
    button.textContent = cents ? template.replace("{amount}", money(cents)) : plain;
  };

  form.addEventListener("change", (event) => {
    if (event.target.name === "amount" && event.target.value !== "other") other.value = "";
    update();
  });
  other.addEventListener("input", () => {
    if (other.value.trim() !== "" && otherChoice) otherChoice.checked = true;
    update();
  });
  // Back from Checkout through the back-forward cache: a fresh token, so a
  // new attempt gets a new session, and a label that matches the form.
  win.addEventListener("pageshow", (event) => {
    if (event.persisted) hidden.value = token(win);
    update();
  });
  update();
}

initDonateForm(document);
