/* Moderators' queue: keyboard shortcuts and in-place decisions over the JSON API.
 * Progressive enhancement: every action is also a plain form that works without this file.
 * Loaded as a file (the CSP allows no inline script); no handlers in the markup. */
(function () {
  "use strict";

  var PAST = { approve: "Approved", reject: "Rejected", feature: "Featured", unfeature: "Un-featured" };
  // The moderator's own switch for the single-key shortcuts (WCAG 2.1.4), kept in this browser.
  var SHORTCUTS_KEY = "parley.review.shortcuts";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll(".card[data-comment-id]"));
  }

  function currentCard() {
    var active = document.activeElement;
    var card = active && active.closest ? active.closest(".card[data-comment-id]") : null;
    return card || document.querySelector(".card.is-current");
  }

  function makeCurrent(card) {
    // One card at a time is in the Tab order (a roving tabindex): Tab reaches the queue once.
    cards().forEach(function (c) {
      c.classList.toggle("is-current", c === card);
      c.tabIndex = c === card ? 0 : -1;
    });
  }

  function focusCard(card) {
    if (!card) return;
    makeCurrent(card);
    card.focus();
    card.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var all = cards();
    if (!all.length) return;
    var index = all.indexOf(currentCard());
    var next = index < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(Math.max(index + step, 0), all.length - 1);
    focusCard(all[next]);
  }

  function nextUndecided(card) {
    var all = cards();
    for (var i = all.indexOf(card) + 1; i < all.length; i++) {
      if (!all[i].classList.contains("is-decided")) return all[i];
    }
    return card;
  }

  function say(card, text, isError) {
    var result = card.querySelector('[data-role="result"]');
    result.textContent = text;
    result.classList.toggle("is-error", !!isError);
  }

  function showStatus(card, status) {
    card.dataset.status = status;
    var badge = card.querySelector('[data-role="status"]');
    badge.textContent = status;
    badge.className = "status status-" + status;  // the new status's colour, not the old one's
  }

  function markDecided(card) {
    card.classList.add("is-decided");
    card.querySelectorAll(".card-actions button, .card-actions select, .card-actions input").forEach(function (b) { b.disabled = true; });
    var box = card.querySelector(".card-select");
    if (box) { box.checked = false; box.disabled = true; card.classList.remove("is-selected"); }
  }

  function refreshCounts() {
    var list = document.getElementById("cards");
    var url = list && list.dataset.countsUrl;
    if (!url) return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body || !body.counts) return;
        Object.keys(body.counts).forEach(function (queue) {
          var badge = document.querySelector('[data-count="' + queue + '"]');
          // Counts stop at a cap; beyond it the server says so and the badge reads "1,000+".
          var capped = body.counts_capped && body.counts_capped[queue];
          if (badge) badge.textContent = body.counts[queue].toLocaleString("en-US") + (capped ? "+" : "");
        });
      })
      .catch(function () { /* the counts are a nicety; the next page load corrects them */ });
  }

  function decide(card, action, reason) {
    if (!card || card.classList.contains("is-decided") || card.dataset.busy) return;
    card.dataset.busy = "1";
    say(card, "Saving…");
    // The status the moderator saw: if another moderator changed it meanwhile, the server says so (409).
    var payload = { action: action, expected_status: card.dataset.status };
    if (reason) payload.reason = reason;
    fetch(card.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload)
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          return { ok: response.ok, status: response.status, body: body };
        });
      })
      .then(function (result) {
        delete card.dataset.busy;
        if (result.ok) {
          showStatus(card, result.body.comment.status);
          say(card, PAST[action] + " — now " + result.body.comment.status + ".");
          markDecided(card);
          refreshCounts();
          focusCard(nextUndecided(card));
          return;
        }
        say(card, result.body.error || "That did not work (" + result.status + ").", true);
        if (result.status === 409 && result.body.comment) {
          // Someone else decided it: show what happened rather than overwrite it.
          showStatus(card, result.body.comment.status);
          markDecided(card);
          refreshCounts();
        }
      })
      .catch(function () {
        delete card.dataset.busy;
        say(card, "The server did not answer; nothing changed. Try again.", true);
      });
  }

  function reasonOf(form) {
    var text = form.querySelector('[name="reason_text"]');
    var choice = form.querySelector('[name="reason"]');
    return (text && text.value.trim()) || (choice && choice.value) || null;
  }

  function reject(form) {
    var card = form.closest(".card[data-comment-id]");
    var reason = reasonOf(form);
    if (!reason) {
      // No reason is ever preselected: the moderator picks one, or nothing happens.
      say(card, "Choose a reason for rejecting (or write one) first.", true);
      form.querySelector('[name="reason"]').focus();
      return;
    }
    decide(card, "reject", reason);
  }

  function startReject(card) {
    var select = card && card.querySelector(".reject-reason");
    if (select) select.focus();
  }

  function toggleSelect(card) {
    var box = card && card.querySelector(".card-select");
    if (!box || box.disabled) return;
    box.checked = !box.checked;
    card.classList.toggle("is-selected", box.checked);
  }

  function showHelp() {
    var dialog = document.getElementById("review-help");
    if (dialog && !dialog.open) dialog.showModal();
  }

  function isField(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA" || el.isContentEditable);
  }

  function shortcutsOn() {
    try { return window.localStorage.getItem(SHORTCUTS_KEY) !== "off"; } catch (e) { return true; }
  }

  function inQueue(el) {
    // Keys act on the queue only while focus is in it: a key pressed on the masthead, the
    // filters or the bulk bar is that control's, never a decision.
    return !!(el && el.closest && el.closest("#cards"));
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || !shortcutsOn()) return;
    var target = event.target;
    if (!inQueue(target)) return;
    if (isField(target)) {
      // Enter on a reject reason list sends the rejection; Escape goes back to the card.
      if (event.key === "Enter" && target.classList.contains("reject-reason")) {
        event.preventDefault();
        target.form.requestSubmit();
      } else if (event.key === "Escape") {
        focusCard(target.closest(".card[data-comment-id]"));
      }
      return;
    }
    var card = currentCard();
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": decide(card, "approve"); break;
      case "f": decide(card, "feature"); break;
      case "r": startReject(card); break;
      case "x": toggleSelect(card); break;
      case "?": showHelp(); break;
      default: return;
    }
    event.preventDefault();
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("decision-form")) return;
    event.preventDefault();
    if (form.dataset.action === "reject") reject(form);
    else decide(form.closest(".card[data-comment-id]"), form.dataset.action, null);
  }

  function onChange(event) {
    var box = event.target;
    if (box.classList && box.classList.contains("card-select")) {
      box.closest(".card").classList.toggle("is-selected", box.checked);
    }
  }

  function onClick(event) {
    // Clicking anywhere on a card (not a control) makes it the current one for the keys.
    var card = event.target.closest && event.target.closest(".card[data-comment-id]");
    if (card && !isField(event.target) && event.target.tagName !== "BUTTON" && event.target.tagName !== "A") {
      makeCurrent(card);
    }
  }

  function setUpSwitch() {
    // The switch is in the page for everyone, hidden: without this file there are no shortcuts to switch.
    var box = document.getElementById("shortcuts-on");
    if (!box) return;
    box.checked = shortcutsOn();
    box.closest(".shortcuts-setting").hidden = false;
    box.addEventListener("change", function () {
      try { window.localStorage.setItem(SHORTCUTS_KEY, box.checked ? "on" : "off"); } catch (e) { /* private mode: on for this page */ }
    });
  }

  function bulkNeedsReason(event) {
    // The bulk bar's Reject, like a card's, needs a chosen reason.
    var form = event.target;
    if (form.id !== "bulk-form" || !event.submitter || event.submitter.value !== "reject") return false;
    var choice = form.querySelector('[name="reason"]');
    if (choice.value) return false;
    event.preventDefault();
    var note = document.getElementById("bulk-note");
    if (note) note.textContent = "Choose a reason for rejecting the selected comments first.";
    choice.focus();
    return true;
  }

  if (!window.fetch || !document.querySelector(".workspace")) return;
  document.addEventListener("keydown", onKey);
  document.addEventListener("submit", function (event) { if (!bulkNeedsReason(event)) onSubmit(event); });
  document.addEventListener("change", onChange);
  document.addEventListener("click", onClick);
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches(".card[data-comment-id]")) makeCurrent(event.target);
  });
  setUpSwitch();
  // Tab reaches the queue at its first card; no card is current until one has focus.
  cards().forEach(function (c, i) { c.tabIndex = i === 0 ? 0 : -1; });
})();
