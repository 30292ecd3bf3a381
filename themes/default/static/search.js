/* newsdigest search: searches search-index.json in the browser, no server needed.
   Index format: docs/search-index.md. Every query word must match a word of the title, a
   topic or the summary (a word that starts with the query word counts, so results update
   as you type). Title matches rank above topic matches, topic above summary; whole words
   above prefixes; an exact phrase in the title ranks higher still; ties go to newer
   articles. Other wordings of an article's headline (index.headlines) find the article too,
   and headlines with no article lead to the headline-index page that lists them.
   ?q=… in the page URL fills the box, and typing keeps it up to date. */
(function () {
  "use strict";

  var root = document.querySelector("[data-search]");
  if (!root) return;
  var form = root.querySelector("form");
  var input = root.querySelector("input[name=q]");
  var status = root.querySelector("#search-status");
  var list = root.querySelector("#search-results");
  var MAX_RESULTS = 50;
  // The page's wording, in the site's language (search.html puts it in data-text-*).
  function text(name, values) {
    var s = root.getAttribute("data-text-" + name) || "";
    Object.keys(values || {}).forEach(function (k) { s = s.split("{" + k + "}").join(values[k]); });
    return s;
  }
  var docs = null;
  // "5 Feb 2026", written as the site's pages write short dates: the pattern and the month
  // names come from the page (the site's strings.date_short and its language).
  var months = (root.getAttribute("data-months") || "").split("|");
  function shortDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!m || months.length !== 12) return iso;
    var date = new Date(iso + "T00:00:00Z");
    var lang = document.documentElement.lang || undefined;
    var name = function (o) { return new Intl.DateTimeFormat(lang, Object.assign({ timeZone: "UTC" }, o)).format(date); };
    var s = text("date", {
      day: String(Number(m[3])), dd: m[3], mm: m[2], year: m[1], mon: months[Number(m[2]) - 1]
    });
    // Names the page does not carry, only when a site's own pattern asks for them.
    if (s.indexOf("{weekday}") >= 0) s = s.split("{weekday}").join(name({ weekday: "long" }));
    if (s.indexOf("{month}") >= 0) s = s.split("{month}").join(name({ month: "long" }));
    return s;
  }

  // Lowercase, accents dropped, "U.S." -> "us", "Trump's" -> "trumps".
  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/(\p{L})[.'\u2019](?=\p{L})/gu, "$1");
  }
  function words(s) {
    return fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function load(index) {
    var base = index.base || "/";
    docs = index.docs.map(function (d, i) {
      var topics = (d[4] || []).map(function (t) { return index.topics[t]; });
      var day = index.days[d[2]] || "";
      return {
        title: d[0], summary: d[1], day: day, topics: topics, order: i,
        url: base + day.replace(/-/g, "/") + "/" + d[3] + "/",
        titleWords: words(d[0]), topicWords: words(topics.join(" ")),
        summaryWords: words(d[1]), foldedTitle: words(d[0]).join(" "), altWords: []
      };
    });
    (index.headlines || []).forEach(function (h) {
      if (typeof h[1] === "number") {
        var doc = docs[h[1]];
        if (doc) doc.altWords = doc.altWords.concat(words(h[0]));
      } else {
        docs.push({
          title: h[0], summary: "", day: "", topics: [], order: docs.length,
          url: base + h[1], headlineOnly: true,
          titleWords: words(h[0]), topicWords: [], summaryWords: [],
          foldedTitle: words(h[0]).join(" "), altWords: []
        });
      }
    });
    root.setAttribute("data-ready", "true");
    run();
  }

  // Best score of one query word against one field's words.
  function fieldScore(fieldWords, term, exact, prefix) {
    var best = 0;
    for (var i = 0; i < fieldWords.length; i++) {
      var w = fieldWords[i];
      if (w === term) return exact;
      if (prefix > best && w.lastIndexOf(term, 0) === 0) best = prefix;
    }
    return best;
  }

  function score(doc, terms, phrase) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i];
      var s = Math.max(
        fieldScore(doc.titleWords, t, 12, 8),
        fieldScore(doc.altWords, t, 9, 5),
        fieldScore(doc.topicWords, t, 10, 6),
        fieldScore(doc.summaryWords, t, 4, 2));
      if (s === 0) return 0;
      total += s;
    }
    if (terms.length > 1 && doc.foldedTitle.indexOf(phrase) !== -1) total += 10;
    return total;
  }

  function search(query) {
    var terms = words(query);
    if (!terms.length) return null;
    var phrase = terms.join(" ");
    var hits = [];
    for (var i = 0; i < docs.length; i++) {
      var s = score(docs[i], terms, phrase);
      if (s > 0) hits.push({ doc: docs[i], score: s });
    }
    hits.sort(function (a, b) { return b.score - a.score || a.doc.order - b.doc.order; });
    return { terms: terms, hits: hits };
  }

  // Appends text to el, wrapping words that start with a query word in <mark>.
  function highlight(el, text, terms) {
    var re = /[\p{L}\p{N}][\p{L}\p{N}.'\u2019]*/gu;
    var last = 0, m;
    while ((m = re.exec(text))) {
      var w = fold(m[0]).replace(/[^\p{L}\p{N}]+$/u, "");
      var hit = terms.some(function (t) { return w.lastIndexOf(t, 0) === 0; });
      if (!hit) continue;
      if (m.index > last) el.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      el.appendChild(mark);
      last = m.index + m[0].length;
    }
    if (last < text.length) el.appendChild(document.createTextNode(text.slice(last)));
  }

  function el(tag, cls, parent) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (parent) parent.appendChild(e);
    return e;
  }

  function render(query, result) {
    list.textContent = "";
    if (!result) {
      status.textContent = text("prompt");
      return;
    }
    var n = result.hits.length;
    if (!n) {
      status.textContent = text("none", { q: query.trim() });
      return;
    }
    var values = { n: String(n), q: query.trim(), max: String(MAX_RESULTS) };
    status.textContent = text(n > MAX_RESULTS ? "best" : n === 1 ? "one" : "many", values);
    result.hits.slice(0, MAX_RESULTS).forEach(function (h) {
      var d = h.doc;
      var li = el("li", "story search-result", list);
      var dateline = el("p", "story-dateline", li);
      if (d.headlineOnly) {
        dateline.textContent = "Headline index";
      } else {
        var time = el("time", "", dateline);
        time.setAttribute("datetime", d.day);
        time.textContent = shortDate(d.day);
      }
      var body = el("div", "story-body", li);
      // Titles and summaries come from dumps: each is isolated (dir="auto") so that
      // right-to-left text cannot reorder the page around it.
      var h2 = el("h2", "story-title", body);
      h2.dir = "auto";
      var a = el("a", "", h2);
      a.href = d.url;
      highlight(a, d.title, result.terms);
      if (d.summary) {
        var summary = el("p", "story-summary", body);
        summary.dir = "auto";
        highlight(summary, d.summary, result.terms);
      }
      if (d.topics.length) {
        var meta = el("p", "story-meta search-topics", body);
        d.topics.slice(0, 6).forEach(function (t) {
          var span = el("span", "", meta);
          span.dir = "auto";
          highlight(span, t, result.terms);
        });
      }
    });
  }

  function run() {
    if (!docs) return;
    var q = input.value;
    render(q, search(q));
    list.setAttribute("data-query", q);
  }

  function syncUrl() {
    var url = new URL(window.location.href);
    if (input.value.trim()) url.searchParams.set("q", input.value);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  }

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) input.value = initial;
  input.addEventListener("input", function () { syncUrl(); run(); });
  form.addEventListener("submit", function (e) { e.preventDefault(); syncUrl(); run(); });

  status.textContent = text("loading");
  fetch(root.getAttribute("data-index"))
    .then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    })
    .then(load)
    .catch(function (err) {
      status.textContent = text("unavailable", { error: err.message });
      root.setAttribute("data-ready", "error");
    });
})();
