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

  /* --- inbox: a work queue updated in place, so focus and highlights stay across polls --- */
  const inbox = document.querySelector("[data-inbox]");
  const rows = new Map();
  const opened = new Set(JSON.parse(window.sessionStorage.getItem("bw-opened") || "[]"));
  let first = true;

  function waiting(iso) {
    const minutes = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
    if (minutes < 60) return "wacht " + minutes + " min";
    const hours = Math.floor(minutes / 60);
    return hours < 24 ? "wacht " + hours + " uur " + (minutes % 60) + " min" : "sinds " + when(iso);
  }

  // The conversation's language (issue #21): staff answer an English writer in English.
  const LANGUAGES = { en: "Engels", nl: "" };
  function language(code) {
    const name = code ? (LANGUAGES[code] ?? code) : "";
    return name ? " · schrijft " + name : "";
  }

  function cells(c) {
    // Crisis cases come first from the server and say so: a person may be in danger.
    const status = (c.reden === "crisis" ? "Spoed (crisis) · " : "") + c.status;
    return [status, c.samenvatting, c.contact_voorkeur + " · " + channel(c.kanaal) + language(c.taal),
      waiting(c.aangemaakt), c.medewerker || "–", c.stadsdeel || "onbekend"];
  }

  function markOpened(id) {
    opened.add(id);
    window.sessionStorage.setItem("bw-opened", JSON.stringify([...opened].slice(-200)));
  }

  // Mine / unassigned / all, stadsdeel and reason: the server filters; the form keeps the URL
  // in step so a reload or a shared link shows the same queue.
  const filterForm = document.getElementById("inbox-filters");
  function filterQuery() {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(filterForm)) if (v && !(k === "weergave" && v === "alle")) params.set(k, v);
    return params.toString();
  }
  if (filterForm) filterForm.addEventListener("change", () => {
    const q = filterQuery();
    window.history.replaceState(null, "", base + "/inbox" + (q ? "?" + q : ""));
    refreshInbox().catch((err) => console.warn(err.message));
  });

  /* Optional sound and desktop notification on a new case (off until the worker turns it on;
     remembered in localStorage). The notification carries the number and reason only. */
  const ALERT_KEY = "bw-meldingen";
  const alertToggle = document.getElementById("meldingen-aan");
  const alertStatus = document.getElementById("meldingen-status");
  let audio = null;
  const alertsOn = () => window.localStorage.getItem(ALERT_KEY) === "1";

  function tone(times) {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    try {
      audio = audio || new Ctx();
      if (audio.state === "suspended") audio.resume();
      for (let i = 0; i < times; i++) {
        const start = audio.currentTime + i * 0.25;
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = "sine";
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.18);
        osc.connect(gain).connect(audio.destination);
        osc.start(start);
        osc.stop(start + 0.2);
      }
    } catch (err) { console.warn("geluid: " + err.message); }
  }

  function desktopNote(c) {
    if (!("Notification" in window) || window.Notification.permission !== "granted") return;
    const urgent = c.reden === "crisis";
    const note = new window.Notification((urgent ? "Spoed: " : "") + "nieuwe case #" + c.id, {
      body: "Case #" + c.id + " wacht op een medewerker (reden: " + c.reden + ").",
      tag: "bw-case-" + c.id,
      requireInteraction: urgent,
    });
    note.onclick = () => { window.focus(); window.location.href = base + "/case/" + c.id; };
  }

  function alertNew(list) {
    if (!alertsOn() || !list.length) return;
    tone(list.some((c) => c.reden === "crisis") ? 2 : 1);
    for (const c of list.slice(0, 3)) desktopNote(c);
  }

  function describeAlerts() {
    if (!alertStatus) return;
    let text = "";
    if (alertsOn()) {
      const perm = "Notification" in window ? window.Notification.permission : "unsupported";
      text = perm === "granted" ? "Aan: je hoort een geluid en krijgt een melding op je scherm."
        : perm === "denied" || perm === "unsupported" ? "Aan: je hoort een geluid. Je browser staat geen meldingen op je scherm toe."
        : "Aan: je hoort een geluid. Sta meldingen toe in je browser voor een melding op je scherm.";
    }
    if (alertStatus.textContent !== text) alertStatus.textContent = text;
  }

  if (alertToggle) {
    alertToggle.checked = alertsOn();
    alertToggle.addEventListener("change", async () => {
      if (alertToggle.checked) {
        window.localStorage.setItem(ALERT_KEY, "1");
        // Both need the click itself: browsers only allow sound and the question after one.
        tone(1);
        if ("Notification" in window && window.Notification.permission === "default") {
          try { await window.Notification.requestPermission(); } catch (err) { console.warn(err.message); }
        }
      } else {
        window.localStorage.removeItem(ALERT_KEY);
      }
      describeAlerts();
    });
    describeAlerts();
  }

  const known = new Set();  // every open case seen on this page, whatever the filter
  const arrived = new Set();  // cases that came in while the page was open: highlighted until opened

  async function refreshInbox() {
    const q = filterQuery();
    const cases = await api("/cases" + (q ? "?" + q : ""));
    const all = q ? await api("/cases") : cases;
    const newcomers = all.filter((c) => !known.has(c.id));
    for (const c of all) known.add(c.id);
    if (!first) {
      for (const c of newcomers) if (!opened.has(c.id)) arrived.add(c.id);
      alertNew(newcomers.filter((c) => c.state === "wacht_op_medewerker"));
    }
    updateBadge(all);
    const waitingCount = all.filter((c) => c.state === "wacht_op_medewerker").length;
    document.title = (waitingCount ? "(" + waitingCount + ") " : "") + "Inbox · Bestaanswijzer";
    const tbody = inbox.querySelector("tbody");
    const ids = new Set(cases.map((c) => c.id));
    for (const [id, tr] of rows) if (!ids.has(id)) { tr.remove(); rows.delete(id); }
    const loading = tbody.querySelector("tr:not([data-case]):not(.empty)");
    if (loading) loading.remove();
    const fresh = [];
    let previous = null;
    for (const c of cases) {
      let tr = rows.get(c.id);
      if (!tr) {
        tr = el("tr", { "data-case": String(c.id) });
        const link = el("a", { href: base + "/case/" + c.id }, "#" + c.id);
        link.addEventListener("click", () => markOpened(c.id));
        const td = el("td"); td.append(link); tr.append(td);
        for (let i = 0; i < 6; i++) tr.append(el("td"));
        rows.set(c.id, tr);
      }
      // highlighted from its arrival until opened, also when a filter hid the row for a while
      if (arrived.has(c.id) && !opened.has(c.id) && !tr.classList.contains("new")) {
        tr.classList.add("new");
        if (newcomers.some((n) => n.id === c.id)) fresh.push(c.id);
      }
      // only changed text is written: the row (and a focused link in it) stays where it is
      cells(c).forEach((text, i) => {
        const td = tr.children[i + 1];
        if (td.textContent !== text) td.textContent = text;
      });
      if (opened.has(c.id)) tr.classList.remove("new");
      const want = previous ? previous.nextSibling : tbody.firstChild;
      if (want !== tr) tbody.insertBefore(tr, want);
      previous = tr;
    }
    const emptyText = q ? "Geen open cases voor deze keuze." : "Geen open gesprekken.";
    const emptyRow = tbody.querySelector("tr.empty");
    if (cases.length && emptyRow) emptyRow.remove();
    if (!cases.length && !emptyRow) {
      const tr = el("tr", { class: "empty" }); tr.append(el("td", { colspan: "7" }, emptyText)); tbody.append(tr);
    } else if (emptyRow && emptyRow.textContent !== emptyText) emptyRow.firstChild.textContent = emptyText;
    if (fresh.length) document.getElementById("inbox-status").textContent = "Nieuw: case " + fresh.join(", ");
    first = false;
  }

  /* --- case --- */
  const caseBox = document.getElementById("case");
  let transcriptLoaded = false;

  function announce(text) {
    const log = document.getElementById("transcript-nieuw");
    log.append(el("p", {}, text));
    while (log.children.length > 5) log.firstChild.remove();
  }

  function noteItem(who, iso, text) {
    const li = el("li");
    li.append(el("span", { class: "van" }, who + " · " + when(iso)), document.createTextNode(text));
    return li;
  }

  function showNotes(notes) {
    const list = document.getElementById("interne-notities");
    if (list.children.length === notes.length) return;  // unchanged: leave the list (and focus) alone
    list.replaceChildren(...notes.map((n) => noteItem(n.auteur, n.tijd, n.tekst)));
  }

  // Call-back outcomes ("gebeld / niet bereikt"): the log for everyone, the form for the staff
  // member who has the case (the server checks that too).
  function showCallbacks(c, mine) {
    const attempts = c.terugbelpogingen || [];
    const wantsCall = c.terugbelnummer || c.contact_voorkeur === "bellen";
    document.getElementById("terugbel-kaart").hidden = !(wantsCall || attempts.length);
    document.getElementById("callback-form").hidden = !mine;
    const list = document.getElementById("terugbelpogingen");
    if (list.querySelectorAll("li:not(.empty)").length === attempts.length && list.children.length) return;
    list.replaceChildren(...attempts.map((a) =>
      noteItem(a.auteur, a.tijd, a.label + (a.toelichting ? ": " + a.toelichting : ""))));
    if (!attempts.length) list.append(el("li", { class: "empty" }, "Nog niet gebeld."));
  }
  async function refreshCase() {
    const id = caseBox.dataset.case;
    const c = await api("/cases/" + id);
    document.getElementById("case-samenvatting").textContent = c.samenvatting;
    document.getElementById("case-meta").textContent =
      c.status + " · reden: " + c.reden + " · contact: " + c.contact_voorkeur + " via " + channel(c.kanaal) +
      language(c.taal) +
      " · sinds " + when(c.aangemaakt) + (c.medewerker ? " · medewerker: " + c.medewerker : "");
    const open = c.state === "wacht_op_medewerker" || c.state === "medewerker";
    document.getElementById("take").hidden = c.state !== "wacht_op_medewerker";
    document.getElementById("close").hidden = !open;
    // The call-back number: only for the staff member who took the case (the server checks it
    // and writes who looked at it in the case notes).
    const mine = c.state === "medewerker" && c.medewerker === caseBox.dataset.me;
    document.getElementById("callback").hidden = !(c.terugbelnummer && c.state === "medewerker");
    document.getElementById("handover-form").hidden = !mine;
    showCallbacks(c, mine);
    showNotes(c.interne_notities || []);
    const form = document.getElementById("reply-form");
    const canReply = c.state === "medewerker";
    for (const f of form.elements) f.disabled = !canReply;
    const list = document.getElementById("transcript");
    // Only new lines are added, each with its time. The transcript itself is not a live region:
    // every new message after the first load is announced once, on its own, in a separate log.
    const shown = list.children.length;
    for (const l of c.transcript.slice(shown)) {
      const li = el("li", { class: l.van });
      li.append(el("span", { class: "van" }, l.van + (l.tijd ? " · " + l.tijd : "")),
        document.createTextNode(l.tekst));
      list.append(li);
      if (transcriptLoaded) announce("Nieuw bericht van " + l.van + (l.tijd ? " om " + l.tijd : "") + ": " + l.tekst);
    }
    transcriptLoaded = true;
    showDelivery(c.bezorging || [], c.wachtrij || []);
    if (!open) document.getElementById("case-status").textContent = "Deze case is " + c.status + ".";
  }

  // Delivery state per sent message and what waits for the resident's next contact
  // (issue #22 item 6): a failed message is shown with the platform's error.
  function showDelivery(sent, waiting) {
    document.getElementById("bezorging-kaart").hidden = !sent.length && !waiting.length;
    const list = document.getElementById("bezorging");
    list.replaceChildren(...sent.map((d) => {
      const li = el("li", { class: d.code === "failed" ? "mislukt" : "" });
      li.append(el("span", { class: "van" }, when(d.tijd) + " · " + d.status + (d.fout ? " (" + d.fout + ")" : "")),
        document.createTextNode(d.tekst));
      return li;
    }));
    document.getElementById("wachtrij-kop").hidden = !waiting.length;
    document.getElementById("wachtrij").replaceChildren(...waiting.map((w) => {
      const li = el("li");
      li.append(el("span", { class: "van" }, when(w.tijd) + " · " + w.reden), document.createTextNode(w.tekst));
      return li;
    }));
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
    // After taking a case the button disappears: focus moves on to the reply box, not the page top.
    document.getElementById("take").addEventListener("click", async () => {
      if (await caseAction("/take", {}, "Je hebt de case aangenomen. De bot is gepauzeerd.")) reply.focus();
    });
    // Closing needs a second click: the bot takes over again and the case leaves the inbox.
    const closeButton = document.getElementById("close");
    const closeLabel = closeButton.textContent;
    closeButton.addEventListener("click", async () => {
      if (closeButton.dataset.confirm !== "1") {
        closeButton.dataset.confirm = "1";
        closeButton.textContent = "Zeker weten? Klik nog eens om af te sluiten";
        document.getElementById("case-status").textContent = "Klik nog eens op de knop om de case af te sluiten.";
        return;
      }
      delete closeButton.dataset.confirm;
      closeButton.textContent = closeLabel;
      await caseAction("/close", {}, "Case gesloten. De bot neemt het gesprek weer over.");
    });
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
    document.getElementById("use-template").addEventListener("click", () => {
      const chosen = document.getElementById("template").value;
      if (!chosen) { document.getElementById("case-status").textContent = "Kies eerst een standaardtekst."; return; }
      reply.value = reply.value.trim() ? reply.value.trimEnd() + "\n\n" + chosen : chosen;
      reply.focus();
    });
    const handover = document.getElementById("handover-form");
    handover.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const to = document.getElementById("handover-to");
      if (!to) return;
      await caseAction("/overdragen", { aan: to.value }, "Overgedragen aan " + to.value + ". De bewoner krijgt een bericht.");
    });
    const callbackForm = document.getElementById("callback-form");
    callbackForm.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const data = new FormData(callbackForm);
      const ok = await caseAction("/terugbellen", { uitkomst: data.get("uitkomst"), toelichting: data.get("toelichting") },
        (r) => "Vastgelegd: " + r.label + ".");
      if (ok) callbackForm.reset();
    });
    const noteForm = document.getElementById("note-form");
    noteForm.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const note = document.getElementById("note");
      const ok = await caseAction("/notitie", { tekst: note.value }, "Notitie bewaard. Alleen collega's zien hem.");
      if (ok) note.value = "";
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

  /* --- lookup: "Stuur naar bewoner" (copy, or send into an own open case) and printing --- */
  for (const btn of document.querySelectorAll("button.kopieer")) {
    btn.addEventListener("click", async () => {
      const status = btn.closest("details").querySelector(".status");
      const ok = await copyText(document.getElementById(btn.dataset.target).textContent);
      status.textContent = ok ? "Gekopieerd. Plak de tekst in je bericht aan de bewoner." : "Kopiëren lukte niet; selecteer de tekst zelf.";
    });
  }
  for (const form of document.querySelectorAll("form.stuur-form")) {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const status = form.closest("details").querySelector(".status");
      const id = form.elements.case.value;
      try {
        const res = await api("/cases/" + id + "/stuur",
          { method: "POST", body: JSON.stringify({ soort: form.dataset.soort, ref: form.dataset.ref }) });
        status.textContent = "Verstuurd in case #" + id +
          (res.bezorgd === "push" ? "." : ". De bewoner ziet het bij het volgende bericht.");
      } catch (err) {
        status.textContent = "Dat lukte niet: " + err.message;
      }
    });
  }
  const printButton = document.getElementById("afdrukken");
  if (printButton) printButton.addEventListener("click", () => window.print());

  function poll(fn) {
    const run = () => fn().catch((err) => console.warn(err.message)).finally(() => setTimeout(run, pollMs));
    run();
  }
  if (inbox) poll(refreshInbox);
  else if (badge) poll(() => updateBadge());
  if (caseBox) { setupCase(); poll(refreshCase); }
})();
