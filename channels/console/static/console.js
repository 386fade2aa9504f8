/* Staff console: inbox polling, case actions and copying the B1 text. No framework, no build. */
"use strict";
(function () {
  const body = document.body;
  const base = body.dataset.base;
  const pollMs = parseInt(body.dataset.poll || "3000", 10);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function api(path, options) {
    const opts = Object.assign({ credentials: "same-origin", headers: {} }, options || {});
    if (opts.method === "POST") {
      opts.headers["X-CSRF-Token"] = csrf;
      opts.headers["Content-Type"] = "application/json";
    }
    const res = await fetch(base + "/api" + path, opts);
    if (res.status === 401) { window.location.href = base + "/login"; throw new Error("niet ingelogd"); }
    const data = await res.json();
    if (!res.ok) throw new Error(data.error || "fout " + res.status);
    return data;
  }

  const CHANNEL = { bw: "webchat", rest: "webchat", telegram: "Telegram", whatsapp: "WhatsApp" };
  const channel = (name) => CHANNEL[name] || name;

  function when(iso) {
    const d = new Date(iso);
    return d.toLocaleString("nl-NL", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  }

  /* --- nav badge: waiting cases, on every page --- */
  const badge = document.getElementById("inbox-count");
  async function updateBadge(cases) {
    if (!badge) return;
    const list = cases || await api("/cases");
    const waiting = list.filter((c) => c.state === "wacht_op_medewerker").length;
    badge.textContent = waiting ? String(waiting) : "";
    badge.setAttribute("aria-label", waiting + " wachtend");
  }

  /* --- inbox --- */
  const inbox = document.querySelector("[data-inbox]");
  const seen = new Set();
  let first = true;
  async function refreshInbox() {
    const cases = await api("/cases");
    updateBadge(cases);
    const tbody = inbox.querySelector("tbody");
    tbody.replaceChildren();
    if (!cases.length) {
      const tr = el("tr"); tr.append(el("td", { colspan: "6" }, "Geen open gesprekken.")); tbody.append(tr);
    }
    const fresh = [];
    for (const c of cases) {
      const tr = el("tr", { "data-case": String(c.id) });
      if (!first && !seen.has(c.id)) { tr.classList.add("new"); fresh.push(c.id); }
      seen.add(c.id);
      const link = el("a", { href: base + "/case/" + c.id }, "#" + c.id);
      const td = el("td"); td.append(link);
      // Crisis cases come first from the server and say so: a person may be in danger.
      const status = (c.reden === "crisis" ? "Spoed (crisis) · " : "") + c.status;
      tr.append(td, el("td", {}, status), el("td", {}, c.samenvatting),
        el("td", {}, c.contact_voorkeur + " · " + channel(c.kanaal)), el("td", {}, when(c.aangemaakt)),
        el("td", {}, c.medewerker || "–"));
      tbody.append(tr);
    }
    if (fresh.length) document.getElementById("inbox-status").textContent = "Nieuw: case " + fresh.join(", ");
    first = false;
  }

  /* --- case --- */
  const caseBox = document.getElementById("case");
  async function refreshCase() {
    const id = caseBox.dataset.case;
    const c = await api("/cases/" + id);
    document.getElementById("case-samenvatting").textContent = c.samenvatting;
    document.getElementById("case-meta").textContent =
      c.status + " · reden: " + c.reden + " · contact: " + c.contact_voorkeur + " via " + channel(c.kanaal) +
      " · sinds " + when(c.aangemaakt) + (c.medewerker ? " · medewerker: " + c.medewerker : "");
    const open = c.state === "wacht_op_medewerker" || c.state === "medewerker";
    document.getElementById("take").hidden = c.state !== "wacht_op_medewerker";
    document.getElementById("close").hidden = !open;
    // The call-back number: only for the staff member who took the case (the server checks it
    // and writes who looked at it in the case notes).
    document.getElementById("callback").hidden = !(c.terugbelnummer && c.state === "medewerker");
    const form = document.getElementById("reply-form");
    const canReply = c.state === "medewerker";
    for (const f of form.elements) f.disabled = !canReply;
    const list = document.getElementById("transcript");
    const lines = c.transcript.map((l) => [l.van, l.tekst]);
    if (list.dataset.count !== String(lines.length)) {
      list.replaceChildren();
      for (const [van, tekst] of lines) {
        const li = el("li", { class: van });
        li.append(el("span", { class: "van" }, van), document.createTextNode(tekst));
        list.append(li);
      }
      list.dataset.count = String(lines.length);
    }
    if (!open) document.getElementById("case-status").textContent = "Deze case is " + c.status + ".";
  }

  async function caseAction(path, payload, message) {
    const status = document.getElementById("case-status");
    try {
      const res = await api("/cases/" + caseBox.dataset.case + path,
        { method: "POST", body: JSON.stringify(payload || {}) });
      status.textContent = typeof message === "function" ? message(res) : message;
      await refreshCase();
      return true;
    } catch (err) {
      status.textContent = "Dat lukte niet: " + err.message;
      return false;
    }
  }

  function setupCase() {
    const reply = document.getElementById("reply");
    const key = "bw-concept-" + caseBox.dataset.case;
    const draft = window.localStorage.getItem(key);
    if (draft) { reply.value = reply.value ? reply.value + "\n\n" + draft : draft; window.localStorage.removeItem(key); }
    document.getElementById("take").addEventListener("click", () => caseAction("/take", {}, "Je hebt de case aangenomen. De bot is gepauzeerd."));
    document.getElementById("close").addEventListener("click", () => caseAction("/close", {}, "Case gesloten. De bot neemt het gesprek weer over."));
    document.getElementById("callback").addEventListener("click", async () => {
      const out = document.getElementById("callback-number");
      const ok = await caseAction("/telefoon", {}, (r) => {
        out.replaceChildren(document.createTextNode("Terugbelnummer: "),
          el("a", { href: "tel:" + r.telefoon.replace(/[^0-9+]/g, "") }, r.telefoon));
        out.hidden = false;
        return "Het nummer staat hieronder. Dat je het bekeek, staat in de notities van de case.";
      });
      if (!ok) out.hidden = true;
    });
    document.getElementById("reply-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const ok = await caseAction("/reply", { tekst: reply.value },
        (r) => r.bezorgd === "push" ? "Verstuurd." : "Verstuurd: de bewoner ziet het bij het volgende bericht.");
      if (ok) reply.value = "";
    });
  }

  /* --- regulation page: copy the B1 text --- */
  async function copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (err) {
      const area = el("textarea"); area.value = text; document.body.append(area); area.select();
      const ok = document.execCommand("copy"); area.remove();
      return ok;
    }
  }
  const copyBtn = document.getElementById("kopieer-b1");
  if (copyBtn) {
    const text = () => document.getElementById(copyBtn.dataset.target).textContent;
    const status = document.getElementById("kopieer-status");
    copyBtn.addEventListener("click", async () => {
      status.textContent = (await copyText(text())) ? "Gekopieerd." : "Kopiëren lukte niet; selecteer de tekst zelf.";
    });
    const toCase = document.getElementById("b1-naar-case");
    if (toCase) toCase.addEventListener("click", () => {
      window.localStorage.setItem("bw-concept-" + toCase.dataset.case, text());
      window.location.href = base + "/case/" + toCase.dataset.case;
    });
  }

  function poll(fn) {
    const run = () => fn().catch((err) => console.warn(err.message)).finally(() => setTimeout(run, pollMs));
    run();
  }
  if (inbox) poll(refreshInbox);
  else if (badge) poll(() => updateBadge());
  if (caseBox) { setupCase(); poll(refreshCase); }
})();
