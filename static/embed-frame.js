/* The comment thread inside the host page's iframe (Parley's origin). Everything people wrote is
 * put on the page with textContent, never as markup. Sign-in comes from a first-party popup as a
 * short-lived token, kept in this frame only and sent as a Bearer header; requests never carry
 * cookies, so a cross-site page has no credential to borrow. */
(function () {
  "use strict";
  var root = document.body;
  var cfg = {
    slug: root.getAttribute("data-article"),
    mode: root.getAttribute("data-mode"),
    origin: root.getAttribute("data-origin"),
    maxDepth: parseInt(root.getAttribute("data-max-depth"), 10),
    maxLength: parseInt(root.getAttribute("data-max-length"), 10),
    editMinutes: parseInt(root.getAttribute("data-edit-minutes"), 10),
    authUrl: root.getAttribute("data-auth-url"),
    reasons: JSON.parse(root.getAttribute("data-reasons") || "[]"),
    badges: JSON.parse(root.getAttribute("data-badges") || "{}")
  };
  var STATES = {
    pending: "being checked — only you can see this for now",
    held: "being reviewed by a moderator — only you can see this",
    rejected: "not published — only you can see this"
  };
  var STORE = "parley-embed:" + cfg.origin;
  var auth = readAuth();
  var comments = [];
  var next = null;  // the API's cursor for the next page of top-level comments
  var sort = "featured";  // the thread's order: editors' picks first, oldest, newest or respect
  var picks = 0;  // how many top-level comments at the start are editors' picks
  var SORTS = [["featured", "Editors' picks first"], ["oldest", "Oldest first"], ["newest", "Newest first"], ["respect", "Most respected"]];
  var popup = null;
  var pollTimer = null;
  var pollCount = 0;

  // --- small helpers ------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function button(label, onClick, className) {
    var b = el("button", className || "pw-link", label);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function say(text, isError) {
    var status = document.getElementById("pw-status");
    status.textContent = text || "";
    status.className = "pw-status" + (isError ? " pw-error" : "");
    status.setAttribute("role", isError ? "alert" : "status");
  }

  function readAuth() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORE) || "null");
      if (saved && saved.token && new Date(saved.expires_at) > new Date()) return saved;
    } catch (e) { /* storage blocked: sign-in lasts as long as the page */ }
    return null;
  }

  function saveAuth(value) {
    auth = value;
    try {
      if (value) sessionStorage.setItem(STORE, JSON.stringify(value));
      else sessionStorage.removeItem(STORE);
    } catch (e) { /* memory only */ }
  }

  function api(method, path, body) {
    var headers = { Accept: "application/json" };
    if (auth) headers.Authorization = "Bearer " + auth.token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch("/api/v1" + path, {
      method: method,
      headers: headers,
      credentials: "omit",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      var parsed = r.status === 204 ? Promise.resolve({}) : r.json().catch(function () { return {}; });
      return parsed.then(function (data) {
        if (r.status === 401 && auth) {
          saveAuth(null);  // expired or revoked: back to signed out
          renderAccount();
        }
        return { ok: r.ok, status: r.status, data: data };
      });
    }).catch(function () {
      return { ok: false, status: 0, data: { error: "Could not reach the comment service; check your connection." } };
    });
  }

  // --- host page ----------------------------------------------------------------------------

  function applyHostStyle() {
    var font = root.getAttribute("data-font"), size = root.getAttribute("data-size"), color = root.getAttribute("data-color");
    // CSSOM assignments: an invalid value is simply ignored, and the CSP needs no inline styles.
    if (font) root.style.fontFamily = font;
    if (size) root.style.fontSize = size;
    if (color) root.style.color = color;
  }

  function reportHeight() {
    var height = document.documentElement.scrollHeight;
    if (window.parent !== window) window.parent.postMessage({ type: "parley:height", height: height }, cfg.origin);
  }

  // --- sign-in ------------------------------------------------------------------------------

  function openSignIn(register) {
    var url = cfg.authUrl + (register ? "&register=1" : "");
    popup = window.open(url, "parley-sign-in", "popup,width=480,height=680");
    if (!popup) say("Your browser blocked the sign-in window; allow pop-ups for this site and try again.", true);
  }

  window.addEventListener("message", function (event) {
    // Tokens come only from our own popup, on Parley's own origin.
    if (event.origin !== location.origin || !popup || event.source !== popup) return;
    var data = event.data || {};
    if (data.type !== "parley:token" || typeof data.token !== "string") return;
    saveAuth({ token: data.token, user: data.user, expires_at: data.expires_at });
    popup = null;
    say("Signed in as " + data.user.username + ".");
    renderAccount();
    load();
  });

  function signOut() {
    api("DELETE", "/embed/token").then(function () {
      saveAuth(null);
      say("Signed out.");
      renderAccount();
      load();
    });
  }

  function renderAccount() {
    var box = document.getElementById("pw-account");
    box.textContent = "";
    if (auth) {
      box.appendChild(el("span", null, "Signed in as "));
      box.appendChild(el("strong", null, auth.user.username));
      box.appendChild(document.createTextNode(" · "));
      box.appendChild(button("Sign out", signOut));
    }
    renderCompose();
  }

  function renderCompose() {
    var box = document.getElementById("pw-compose");
    box.textContent = "";
    if (cfg.mode === "closed") {
      box.appendChild(el("p", "pw-notice", "Comments on this article are closed."));
    } else if (!auth) {
      var p = el("p", "pw-notice", "You need to log in to leave a comment. ");
      p.appendChild(button("Sign in to comment", function () { openSignIn(false); }, "pw-button"));
      p.appendChild(document.createTextNode(" New here? "));
      p.appendChild(button("Register", function () { openSignIn(true); }));
      box.appendChild(p);
    } else {
      box.appendChild(commentForm(null, "Leave a comment", "Post comment"));
    }
    reportHeight();
  }

  // --- writing ------------------------------------------------------------------------------

  // What a refused post means for the reader, in words; their text always stays in the box.
  function why(answer, text) {
    var length = Array.from(text.replace(/\r\n/g, "\n")).length;
    var errors = answer.data.errors || {};
    if (answer.status === 422 && errors.body) {
      if (length > cfg.maxLength) {
        return "Your comment is " + length.toLocaleString() + " characters; the limit is " + cfg.maxLength.toLocaleString() +
          ". Your text is kept: shorten it by " + (length - cfg.maxLength).toLocaleString() + ", then post it again.";
      }
      return "Your comment is empty. Write something, then post it.";
    }
    if (answer.status === 429) return "You are posting faster than we allow. Your text is kept: wait a minute, then post it again.";
    if (answer.status === 0) return "Could not reach the comment service. Your text is kept: check your connection and try again.";
    return (answer.data.error || "That did not work.") + " Your text is kept.";
  }

  // A text box with a live count against the server's limit (no maxlength: it cuts a paste
  // silently) and a place beside it for what went wrong.
  function textBox(form, id, label, value, rows) {
    var lab = el("label", null, label);
    lab.htmlFor = id;
    var problem = el("p", "pw-problem");
    problem.id = id + "-problem";
    problem.hidden = true;
    var text = el("textarea");
    text.id = id;
    text.name = "body";
    text.rows = rows;
    text.required = true;
    text.value = drafts[id] !== undefined ? drafts[id] : (value || "");
    text.addEventListener("input", function () { drafts[id] = text.value; });
    var counter = el("p", "pw-counter");
    counter.id = id + "-count";
    text.setAttribute("aria-describedby", counter.id);
    function recount() {
      var length = Array.from(text.value.replace(/\r\n/g, "\n")).length, over = length - cfg.maxLength;
      counter.textContent = over > 0
        ? length.toLocaleString() + " characters: " + over.toLocaleString() + " over the limit of " + cfg.maxLength.toLocaleString() + "."
        : (length ? length.toLocaleString() + " of " + cfg.maxLength.toLocaleString() + " characters" : "Up to " + cfg.maxLength.toLocaleString() + " characters.");
      counter.className = "pw-counter" + (over > 0 ? " pw-error" : "");
      return over;
    }
    text.addEventListener("input", recount);
    recount();
    form.appendChild(lab);
    form.appendChild(problem);
    form.appendChild(text);
    form.appendChild(counter);
    return {
      text: text,
      over: recount,
      show: function (message) {
        problem.textContent = message || "";
        problem.hidden = !message;
        problem.setAttribute("role", "alert");
        text.setAttribute("aria-describedby", (message ? problem.id + " " : "") + counter.id);
        if (message) text.setAttribute("aria-invalid", "true"); else text.removeAttribute("aria-invalid");
        reportHeight();
      }
    };
  }

  // Send a form's text; on a refusal keep it and say why beside it.
  function send(box, submit, method, path, payload, done) {
    if (box.over() > 0) {
      box.show(why({ status: 422, data: { errors: { body: "too long" } } }, box.text.value));
      box.text.focus();
      return;
    }
    submit.disabled = true;
    api(method, path, payload).then(function (a) {
      submit.disabled = false;
      if (!a.ok) {
        box.show(why(a, box.text.value));
        box.text.focus();
        return;
      }
      box.show("");
      done(a);
    });
  }

  function commentForm(parent, label, action) {
    var form = el("form", "pw-form");
    var box = textBox(form, "pw-body-" + (parent ? parent.id : "new"), label, "", parent ? 3 : 4);
    var submit = el("button", "pw-button", action);
    submit.type = "submit";
    form.appendChild(submit);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = { body: box.text.value };
      if (parent) body.parent_id = parent.id;
      send(box, submit, "POST", "/articles/" + encodeURIComponent(cfg.slug) + "/comments", body, function (a) {
        box.text.value = "";
        delete drafts[box.text.id];
        if (parent) delete openForms[parent.id];
        box.over();
        say("Thanks: your comment is being checked and will appear for others once it is published.");
        comments.push(a.data.comment);
        renderThread();
        poll();
      });
    });
    return form;
  }

  function editForm(comment, close) {
    var form = el("form", "pw-form");
    var box = textBox(form, "pw-edit-" + comment.id, "Edit your comment", comment.body, 3);
    var submit = el("button", "pw-button", "Save");
    submit.type = "submit";
    form.appendChild(submit);
    form.appendChild(button("Cancel", close, "pw-link pw-cancel"));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(box, submit, "PATCH", "/comments/" + comment.id, { body: box.text.value }, function (a) {
        delete drafts[box.text.id];
        delete openForms[comment.id];
        comments[comments.indexOf(comment)] = a.data.comment;
        say("Saved: your edit is being checked.");
        renderThread();
        poll();
      });
    });
    return form;
  }

  function editable(comment) {
    return Date.now() < new Date(comment.created_at).getTime() + cfg.editMinutes * 60000;
  }

  function reportForm(comment) {
    var form = el("form", "pw-form pw-inline");
    var select = el("select");
    select.setAttribute("aria-label", "Why are you reporting this comment?");
    cfg.reasons.forEach(function (reason) { select.appendChild(el("option", null, reason)).value = reason; });
    var submit = el("button", "pw-button", "Send report");
    submit.type = "submit";
    form.appendChild(select);
    form.appendChild(submit);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      api("POST", "/comments/" + comment.id + "/reports", { reason: select.value }).then(function (a) {
        if (!a.ok) return say(a.data.error || "Could not send the report.", true);
        say("Thank you: moderators will look at it.");
        delete openForms[comment.id];
        form.remove();
        reportHeight();
      });
    });
    return form;
  }

  function remove(comment) {
    if (!window.confirm("Delete this comment?")) return;
    api("DELETE", "/comments/" + comment.id).then(function (a) {
      if (!a.ok) return say(a.data.error || "Could not delete it.", true);
      say("Deleted.");
      load();
    });
  }

  // --- the thread ---------------------------------------------------------------------------

  // Which inline form is open under which comment ("reply", "edit" or "report"), and what is
  // typed in each box: the thread is rebuilt while a reader writes (polls, more pages), and
  // neither an open form nor a draft may vanish with it.
  var openForms = {};
  var drafts = {};

  function toggle(slot, comment, kind, make) {
    var same = openForms[comment.id] === kind && slot.firstChild;
    slot.textContent = "";
    delete openForms[comment.id];
    if (!same && make) {
      openForms[comment.id] = kind;
      slot.appendChild(make());
      var box = slot.querySelector("textarea, select");
      if (box) box.focus();
    }
    reportHeight();
  }

  function formFor(kind, comment, slot) {
    if (kind === "reply") return commentForm(comment, "Reply to " + comment.author.username, "Post reply");
    if (kind === "edit") return editForm(comment, function () { delete drafts["pw-edit-" + comment.id]; toggle(slot, comment, kind); });
    return reportForm(comment);
  }

  function head(comment) {
    var meta = el("p", "pw-meta");
    meta.appendChild(el("strong", "pw-author", comment.author.username));
    var badge = cfg.badges[comment.author.tier];
    if (badge) meta.appendChild(el("span", "pw-badge", badge));
    if (comment.featured) meta.appendChild(el("span", "pw-featured", "Featured"));
    var time = el("time", null, new Date(comment.created_at).toLocaleString());
    time.dateTime = comment.created_at;
    meta.appendChild(time);
    if (STATES[comment.status]) meta.appendChild(el("span", "pw-state", STATES[comment.status]));
    return meta;
  }

  // A long comment folds behind "Read more"; the whole text is in the page either way.
  function body(comment, li) {
    var text = el("div", "pw-body", comment.body);
    text.id = "pw-body-of-" + comment.id;
    li.appendChild(text);
    if (comment.body.length <= 1200 && comment.body.split("\n").length <= 15) return;
    text.classList.add("pw-folded");
    var more = button("Read more", function () {
      var folded = text.classList.toggle("pw-folded");
      more.textContent = folded ? "Read more" : "Show less";
      more.setAttribute("aria-expanded", String(!folded));
      reportHeight();
    });
    more.setAttribute("aria-expanded", "false");
    more.setAttribute("aria-controls", text.id);
    li.appendChild(more);
  }

  function respectButton(comment) {
    var n = comment.respect || 0;
    var b = button("Respect" + (n ? " · " + n : ""), function () {
      if (!auth) return say("Sign in to show respect for a comment.", true);
      b.disabled = true;
      api(comment.respected ? "DELETE" : "POST", "/comments/" + comment.id + "/respect").then(function (a) {
        b.disabled = false;
        if (!a.ok) return say(a.data.error || "Could not record that.", true);
        comment.respect = a.data.respect;
        comment.respected = a.data.respected;
        renderThread();
      });
    }, "pw-link pw-respect");
    b.setAttribute("aria-pressed", String(!!comment.respected));
    b.setAttribute("aria-label", "Respect (" + n + ")");
    return b;
  }

  function actionsFor(comment, depth, slot) {
    var actions = el("div", "pw-actions");
    var mine = auth && comment.author && comment.author.username === auth.user.username;
    var visible = comment.status === "published" || comment.status === "review";
    if (visible) actions.appendChild(respectButton(comment));
    function offer(label, kind) {
      actions.appendChild(button(label, function () { toggle(slot, comment, kind, function () { return formFor(kind, comment, slot); }); }));
    }
    if (auth && visible && cfg.mode !== "closed") {
      if (depth < cfg.maxDepth) offer("Reply", "reply");
      else actions.appendChild(el("span", "pw-note", "Replies stop at this depth; reply higher up."));
    }
    if (auth && !mine) offer("Report", "report");
    if (mine && editable(comment)) offer("Edit", "edit");
    if (mine) actions.appendChild(button("Delete", function () { remove(comment); }, "pw-link pw-danger"));
    return actions;
  }

  function renderComment(comment, depth, children) {
    var li = el("li", "pw-comment pw-" + comment.status + (comment.featured ? " pw-is-featured" : ""));
    li.id = "pw-comment-" + comment.id;
    li.setAttribute("data-status", comment.status);
    if (comment.status === "deleted") {
      li.appendChild(el("p", "pw-deleted", "This comment was deleted."));
    } else {
      li.appendChild(head(comment));
      body(comment, li);
      var slot = el("div", "pw-slot");
      li.appendChild(actionsFor(comment, depth, slot));
      li.appendChild(slot);
      if (openForms[comment.id]) slot.appendChild(formFor(openForms[comment.id], comment, slot));
    }
    if (children.length) {
      var ol = el("ol", "pw-replies");
      children.forEach(function (node) { ol.appendChild(renderComment(node.comment, depth + 1, node.children)); });
      li.appendChild(ol);
    }
    return li;
  }

  function tree() {
    var nodes = {}, roots = [];
    comments.forEach(function (c) { nodes[c.id] = { comment: c, children: [] }; });
    comments.forEach(function (c) {
      var parent = c.parent_id && nodes[c.parent_id];
      (parent ? parent.children : roots).push(nodes[c.id]);
    });
    return roots;
  }

  function sortChooser() {
    var box = el("p", "pw-sort");
    var label = el("label", null, "Show: ");
    label.htmlFor = "pw-sort";
    var select = el("select");
    select.id = "pw-sort";
    SORTS.forEach(function (pair) {
      var option = el("option", null, pair[1]);
      option.value = pair[0];
      option.selected = pair[0] === sort;
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      sort = select.value;
      load().then(function () { var again = document.getElementById("pw-sort"); if (again) again.focus(); });
    });
    box.appendChild(label);
    box.appendChild(select);
    return box;
  }

  function part(title) {
    var li = el("li", "pw-part");
    li.appendChild(el("h3", "pw-part-title", title));
    return li;
  }

  function renderThread() {
    var list = document.getElementById("pw-thread");
    list.textContent = "";
    var roots = tree();
    var sorter = document.getElementById("pw-sorter");
    sorter.textContent = "";
    if (roots.length) sorter.appendChild(sortChooser());
    if (!roots.length) list.appendChild(el("li", "pw-empty", "No comments yet."));
    roots.forEach(function (node, i) {
      // The editors' picks lead the default order, under their own heading.
      if (picks && i === 0) list.appendChild(part("Editors' picks"));
      if (picks && i === picks) list.appendChild(part("All comments"));
      list.appendChild(renderComment(node.comment, 0, node.children));
    });
    if (next) {
      var more = el("li", "pw-more");
      more.appendChild(button("More comments", function () { load(next); }, "pw-button"));
      list.appendChild(more);
    }
    reportHeight();
  }

  // The first page (cursor null) replaces the thread; a later page adds to it.
  function load(cursor) {
    var signedIn = !!auth;
    var path = "/articles/" + encodeURIComponent(cfg.slug) + "/comments?sort=" + sort + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
    return api("GET", path).then(function (a) {
      if (a.status === 401 && signedIn) return load();  // the token was dropped; read as a visitor
      if (!a.ok) return say(a.data.error || "Could not load the comments.", true);
      comments = cursor ? comments.concat(a.data.comments) : a.data.comments;
      if (!cursor) picks = a.data.picks || 0;
      next = a.data.next || null;
      renderThread();
    });
  }

  function pending() {
    return comments.filter(function (c) { return c.status === "pending"; });
  }

  // The author's own new comment is decided by the scoring worker within seconds: look at it
  // again a few times so its state changes in place.
  function poll() {
    pollCount = 0;
    if (!pollTimer) pollTimer = setTimeout(tick, 1500);
  }

  function tick() {
    pollTimer = null;
    Promise.all(pending().map(function (c) {
      return api("GET", "/comments/" + c.id).then(function (a) {
        if (a.ok) comments[comments.indexOf(c)] = a.data.comment;
      });
    })).then(function () {
      renderThread();
      if (pending().length && ++pollCount < 20) pollTimer = setTimeout(tick, 1500 + pollCount * 250);
    });
  }

  applyHostStyle();
  renderAccount();
  load().then(function () { if (pending().length) poll(); });
  if (window.ResizeObserver) new ResizeObserver(reportHeight).observe(document.body);
  window.addEventListener("load", reportHeight);
})();
