/* The check-in page: search as you type, camera and hand-scanner input, workshop mode, live
 * counts, and an offline queue of scans kept in localStorage and sent again with their nonces.
 * The JSON endpoints it talks to are described in docs/checkin.md. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("checkin-config").textContent);
  var T = config.text;
  var CODE = /^[A-Za-z0-9_-]{20}$/;
  var CODE_AT_END = /([A-Za-z0-9_-]{20})\/?$/;
  var ANSWER_TIMEOUT = 2000; // ms: slower than this, the scan is kept and sent later
  var SYNC_TIMEOUT = 8000;
  var SYNC_EVERY = 10000;
  var COUNTS_EVERY = 5000;
  var CODES_EVERY = 300000;
  var QUEUE_KEY = "forumdesk.checkin.queue." + config.forum;
  var CODES_KEY = "forumdesk.checkin.codes." + config.forum;
  var DEVICE_KEY = "forumdesk.checkin.device";

  var page = {
    form: document.getElementById("checkin-form"),
    query: document.getElementById("checkin-query"),
    workshop: document.getElementById("checkin-workshop"),
    answer: document.getElementById("checkin-answer"),
    results: document.getElementById("checkin-results"),
    resultsNote: document.getElementById("checkin-results-note"),
    recent: document.getElementById("checkin-recent"),
    network: document.getElementById("checkin-network"),
    cameraButton: document.getElementById("checkin-camera"),
    videoBox: document.getElementById("checkin-video-box"),
    video: document.getElementById("checkin-video"),
    cameraProblem: document.getElementById("checkin-camera-problem"),
    checkedIn: document.getElementById("count-checked-in"),
    registered: document.getElementById("count-registered"),
    workshopCounts: document.getElementById("count-workshops"),
  };

  var state = {
    workshop: page.workshop.value ? Number(page.workshop.value) : null,
    codes: null, // code → {name, company, status, workshops, checked_in, workshops_checked_in}
    codesAt: null,
    offline: false,
    sending: false,
    lastError: null,
  };

  // --- small helpers ---------------------------------------------------------------------------

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, name) {
      return values[name] === undefined ? "" : String(values[name]);
    });
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else if (name === "className") node.className = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(child);
    });
    return node;
  }

  function randomHex(bytes) {
    var values = new Uint8Array(bytes);
    window.crypto.getRandomValues(values);
    return Array.prototype.map
      .call(values, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function newNonce() {
    // randomUUID exists only on HTTPS pages; getRandomValues everywhere.
    return window.crypto.randomUUID ? window.crypto.randomUUID() : randomHex(16);
  }

  function device() {
    var name = localStorage.getItem(DEVICE_KEY);
    if (!name) {
      name = "web-" + randomHex(3);
      localStorage.setItem(DEVICE_KEY, name);
    }
    return name;
  }

  // "2036-03-11T09:12:03+08:00" → "09:12": the answer is already in the forum's zone.
  function clock(iso) {
    return iso ? iso.slice(11, 16) : "";
  }

  function fold(text) {
    return (text || "")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  }

  function placeKey(code, workshop) {
    return code + "|" + (workshop === null ? "" : workshop);
  }

  function request(method, url, body, timeout) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () {
      if (controller) controller.abort();
    }, timeout);
    var options = {
      method: method,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined,
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = config.csrf;
      options.body = JSON.stringify(body);
    }
    return fetch(url, options)
      .then(function (response) {
        return response.json().then(
          function (data) {
            return { status: response.status, data: data };
          },
          function () {
            return { status: response.status, data: {} };
          }
        );
      })
      .finally(function () {
        clearTimeout(timer);
      });
  }

  // --- the queue of scans not yet answered by the server ----------------------------------------

  function readQueue() {
    try {
      var queue = JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
      return Array.isArray(queue) ? queue : [];
    } catch (error) {
      return [];
    }
  }

  function writeQueue(queue) {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
    showNetwork();
  }

  function enqueue(scan) {
    var queue = readQueue();
    queue.push(scan);
    writeQueue(queue);
  }

  function dequeue(nonce) {
    var queue = readQueue();
    var kept = queue.filter(function (scan) {
      return scan.nonce !== nonce;
    });
    writeQueue(kept);
    return kept.length !== queue.length;
  }

  function showNetwork() {
    var waiting = readQueue().length;
    var lines = [];
    if (waiting) lines.push(format(waiting === 1 ? T.waiting_one : T.waiting_many, { count: waiting }));
    if (state.offline) {
      lines.push(state.codes ? format(T.offline, { time: clock(state.codesAt) }) : T.offline_no_list);
    }
    if (state.lastError) lines.push(state.lastError);
    page.network.textContent = lines.join(" ");
    page.network.hidden = lines.length === 0;
  }

  function sendQueue() {
    if (state.sending || !readQueue().length) return Promise.resolve();
    state.sending = true;
    var next = function () {
      var queue = readQueue();
      if (!queue.length) return Promise.resolve();
      var scan = queue[0];
      return request("POST", config.urls.checkin, scan, SYNC_TIMEOUT).then(function (reply) {
        if (reply.status === 200 || reply.status === 400) {
          // Answered (ok, already or refused) or refused as malformed: sent for good.
          dequeue(scan.nonce);
          state.offline = false;
          var answer = reply.status === 200 ? reply.data : refusal(reply.data.error);
          noteCheckin(scan, answer);
          addRecent(answer, scan, true);
          return next();
        }
        if (reply.status === 403) state.lastError = T.logged_out;
        throw new Error("not sent");
      });
    };
    return next()
      .then(refreshCounts)
      .catch(function () {
        state.offline = !state.lastError;
      })
      .finally(function () {
        state.sending = false;
        showNetwork();
      });
  }

  // --- answers ----------------------------------------------------------------------------------

  function refusal(message, person) {
    return { result: "refused", message: message, person: person || null };
  }

  function workshopTags(workshops) {
    if (!workshops || !workshops.length) return el("p", { className: "answer-line muted", text: T.no_workshops });
    return el(
      "ul",
      { className: "workshop-tags" },
      workshops.map(function (workshop) {
        return el("li", { text: workshop.code + " " + workshop.title });
      })
    );
  }

  function personOf(entry) {
    if (!entry) return null;
    return {
      name: entry.name,
      company: entry.company,
      workshops: (entry.workshops || []).map(function (id) {
        return { id: id, code: workshopCode(id), title: workshopTitle(id) };
      }),
    };
  }

  function workshopOption(id) {
    return page.workshop.querySelector('option[value="' + id + '"]');
  }

  function workshopCode(id) {
    var item = page.workshopCounts && page.workshopCounts.querySelector('[data-workshop="' + id + '"] .count-code');
    return item ? item.textContent : String(id);
  }

  function workshopTitle(id) {
    var option = workshopOption(id);
    return option ? option.textContent.replace(/^[^:]*:\s*/, "") : "";
  }

  function whenBy(answer) {
    if (!answer.checked_in_at) return "";
    var values = { time: clock(answer.checked_in_at), zone: config.timeZone, by: answer.checked_in_by };
    return format(answer.checked_in_by ? T.at_by : T.at, values);
  }

  // A refusal names nobody; the list of the forum's codes does, for a badge of this forum.
  function personShown(answer, scan) {
    if (answer.person || answer.result !== "refused" || !state.codes || !scan) return answer.person;
    return personOf(state.codes[scan.code]);
  }

  function showAnswer(answer, scan) {
    var kind = answer.result;
    var title = kind === "saved" ? T.saved : T[kind] || kind;
    var person = personShown(answer, scan);
    var children = [el("p", { className: "answer-title", text: title })];
    if (person) {
      children.push(el("p", { className: "answer-name", text: person.name }));
      if (person.company) children.push(el("p", { className: "answer-company", text: person.company }));
    }
    if (kind === "already") children.push(el("p", { className: "answer-line", text: whenBy(answer) }));
    if (kind === "refused" && answer.message) children.push(el("p", { className: "answer-line", text: answer.message }));
    if (answer.offline) children.push(el("p", { className: "answer-line muted", text: T.offline_check }));
    if (kind === "saved") children.push(el("p", { className: "answer-line", text: T.saved_help }));
    if (person && kind !== "refused") children.push(workshopTags(person.workshops));
    if ((kind === "ok" && answer.checkin) || kind === "saved") {
      var undo = el("button", { type: "button", className: "secondary", text: T.undo });
      undo.addEventListener("click", function () {
        undo.disabled = true;
        if (kind === "saved") return forgetScan(scan);
        undoCheckin(answer.checkin, scan).catch(function () {
          undo.disabled = false;
        });
      });
      children.push(el("div", { className: "answer-actions" }, [undo]));
    }
    page.answer.replaceChildren.apply(page.answer, children);
    page.answer.className = "checkin-answer " + kind;
    page.answer.hidden = false;
  }

  function showNotice(text, kind) {
    page.answer.replaceChildren(el("p", { className: "answer-title", text: text }));
    page.answer.className = "checkin-answer " + kind;
    page.answer.hidden = false;
  }

  function addRecent(answer, scan, later) {
    var kind = answer.result;
    var person = personShown(answer, scan);
    var who = person ? person.name : scan.code;
    var detail = kind === "refused" ? answer.message : kind === "already" ? whenBy(answer) : "";
    var item = el("li", {}, [
      el("span", { className: "tag " + kind, text: (kind === "saved" ? T.saved : T[kind]) + (later ? " (" + T.sent_later + ")" : "") }),
      document.createTextNode(who + (detail ? " – " + detail : "")),
    ]);
    page.recent.insertBefore(item, page.recent.firstChild);
    while (page.recent.children.length > 15) page.recent.removeChild(page.recent.lastChild);
  }

  // Keep the offline list in step with what the server answered.
  function noteCheckin(scan, answer) {
    if (!state.codes || !state.codes[scan.code]) return;
    var entry = state.codes[scan.code];
    var present = answer.result === "ok" || answer.result === "already";
    if (scan.workshop === null) entry.checked_in = present || entry.checked_in;
    else if (present && entry.workshops_checked_in.indexOf(scan.workshop) < 0) entry.workshops_checked_in.push(scan.workshop);
  }

  function noteUndo(scan) {
    if (!state.codes || !state.codes[scan.code]) return;
    var entry = state.codes[scan.code];
    if (scan.workshop === null) entry.checked_in = false;
    else entry.workshops_checked_in = entry.workshops_checked_in.filter(function (id) { return id !== scan.workshop; });
  }

  function undoCheckin(id, scan) {
    return request("POST", config.urls.undo, { checkin: id }, SYNC_TIMEOUT).then(
      function (reply) {
        if (reply.status !== 200) throw new Error("not undone");
        noteUndo(scan);
        showNotice(T.undone, "saved");
        refreshCounts();
      },
      function (error) {
        showNotice(T.undo_failed, "refused");
        throw error;
      }
    );
  }

  function forgetScan(scan) {
    if (dequeue(scan.nonce)) showNotice(T.removed, "saved");
    else showNotice(T.undo_failed, "refused");
  }

  // An answer from the list loaded when the page opened, for a scan the server did not answer.
  function offlineAnswer(scan) {
    if (!state.codes) return null; // nothing to check against: keep the scan
    var entry = state.codes[scan.code];
    var reasons = T.reasons;
    if (!CODE.test(scan.code)) return refusal(reasons.malformed);
    if (!entry) return refusal(T.offline_unknown);
    if (entry.status === "cancelled") return refusal(reasons.cancelled);
    if (entry.status === "waitlisted") return refusal(reasons.waitlisted);
    if (scan.workshop !== null && entry.workshops.indexOf(scan.workshop) < 0) return refusal(reasons.not_in_workshop);
    var waiting = readQueue().some(function (other) {
      return placeKey(other.code, other.workshop) === placeKey(scan.code, scan.workshop);
    });
    var done = scan.workshop === null ? entry.checked_in : entry.workshops_checked_in.indexOf(scan.workshop) >= 0;
    if (waiting || done) return { result: "already", person: personOf(entry) };
    return null;
  }

  function keepForLater(scan) {
    state.offline = true;
    var local = offlineAnswer(scan);
    if (local) {
      local.offline = true;
      if (local.result === "refused") local.person = null;
      showAnswer(local, scan);
      addRecent(local, scan, false);
      showNetwork();
      return;
    }
    enqueue(scan);
    var saved = { result: "saved", offline: true, person: personOf(state.codes && state.codes[scan.code]) };
    showAnswer(saved, scan);
    addRecent(saved, scan, false);
  }

  function checkIn(code, source) {
    var scan = {
      code: code,
      nonce: newNonce(),
      workshop: state.workshop,
      source: source,
      device: device(),
      scanned_at: new Date().toISOString(),
    };
    return request("POST", config.urls.checkin, scan, ANSWER_TIMEOUT).then(
      function (reply) {
        if (reply.status === 200) {
          state.offline = false;
          noteCheckin(scan, reply.data);
          showAnswer(reply.data, scan);
          addRecent(reply.data, scan, false);
          refreshCounts();
          sendQueue();
        } else if (reply.status === 400) {
          showAnswer(refusal(reply.data.error), scan);
        } else if (reply.status === 403) {
          state.lastError = T.logged_out;
          showNotice(T.logged_out, "refused");
        } else {
          keepForLater(scan);
        }
        showNetwork();
      },
      function () {
        keepForLater(scan);
      }
    );
  }

  // --- input: hand scanner, typing, camera ----------------------------------------------------------

  // A badge's QR code holds its code; a code at the end of an address is taken too.
  function codeIn(text) {
    var value = text.trim();
    if (CODE.test(value)) return value;
    if (/^https?:\/\/\S+$/.test(value)) {
      var found = CODE_AT_END.exec(value.split(/[?#]/)[0]);
      return found ? found[1] : value;
    }
    return null;
  }

  var searchTimer = null;
  var searchController = null;

  function renderResults(results, more) {
    page.results.replaceChildren();
    results.forEach(function (hit) {
      var statusTag = hit.status !== "confirmed" ? el("span", { className: "status " + hit.status, text: T.status[hit.status] }) : null;
      var present = hit.checked_in_at
        ? el("span", { className: "status present", text: T.already + " " + format(T.at, { time: clock(hit.checked_in_at), zone: config.timeZone }) })
        : hit.offline_present
          ? el("span", { className: "status present", text: T.already })
          : null;
      var button = el("button", { type: "button", text: T.check_in });
      button.addEventListener("click", function () {
        // The next person is searched for from an empty box.
        page.query.value = "";
        page.results.replaceChildren();
        page.resultsNote.hidden = true;
        checkIn(hit.code, "search");
      });
      var who = el("div", { className: "result-who" }, [
        el("strong", { text: hit.name }),
        el("span", { className: "muted", text: hit.company }),
        statusTag ? document.createTextNode(" ") : null,
        statusTag,
        present ? document.createTextNode(" ") : null,
        present,
        hit.workshops.length
          ? el("span", { className: "muted", text: " · " + hit.workshops.map(function (w) { return w.code; }).join(", ") })
          : null,
      ]);
      page.results.appendChild(el("li", {}, [who, button]));
    });
    var note = !results.length ? T.no_results : more ? T.more : "";
    page.resultsNote.textContent = note;
    page.resultsNote.hidden = !note;
  }

  // While offline: the names and companies of the list loaded when the page opened.
  function searchOffline(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    var hits = [];
    Object.keys(state.codes || {}).forEach(function (code) {
      var entry = state.codes[code];
      var text = fold(entry.name + " " + entry.company);
      if (words.every(function (word) { return text.indexOf(word) >= 0; })) {
        var done = state.workshop === null ? entry.checked_in : entry.workshops_checked_in.indexOf(state.workshop) >= 0;
        hits.push({
          code: code,
          name: entry.name,
          company: entry.company,
          status: entry.status,
          workshops: personOf(entry).workshops,
          checked_in_at: null,
          offline_present: done,
        });
      }
    });
    hits.sort(function (a, b) { return a.name.localeCompare(b.name); });
    renderResults(hits.slice(0, 20), hits.length > 20);
  }

  function search(query) {
    if (searchController) searchController.abort();
    if (!query.trim()) {
      page.results.replaceChildren();
      page.resultsNote.hidden = true;
      return;
    }
    searchController = window.AbortController ? new AbortController() : null;
    var url = config.urls.search + "?q=" + encodeURIComponent(query) + (state.workshop === null ? "" : "&workshop=" + state.workshop);
    var controller = searchController;
    var timer = setTimeout(function () { if (controller) controller.abort(); }, ANSWER_TIMEOUT);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined })
      .then(function (response) {
        if (response.status === 403) state.lastError = T.logged_out;
        if (!response.ok) throw new Error("search failed");
        return response.json();
      })
      .then(function (data) {
        if (page.query.value !== query) return;
        renderResults(data.results, data.more);
      })
      .catch(function () {
        if (page.query.value === query && state.codes) searchOffline(query);
      })
      .finally(function () { clearTimeout(timer); });
  }

  page.query.addEventListener("input", function () {
    clearTimeout(searchTimer);
    var value = page.query.value;
    if (codeIn(value)) return; // a code being typed by a hand scanner: wait for its Enter
    searchTimer = setTimeout(function () { search(value); }, 150);
  });

  page.form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(searchTimer);
    var value = page.query.value;
    var code = codeIn(value);
    if (code) {
      page.query.value = "";
      page.results.replaceChildren();
      page.resultsNote.hidden = true;
      checkIn(code, "scan");
      page.query.focus();
    } else {
      search(value);
    }
  });

  page.workshop.addEventListener("change", function () {
    state.workshop = page.workshop.value ? Number(page.workshop.value) : null;
    var url = new URL(window.location.href);
    if (state.workshop === null) url.searchParams.delete("workshop");
    else url.searchParams.set("workshop", state.workshop);
    window.history.replaceState(null, "", url.toString());
    page.answer.hidden = true;
    markCurrentWorkshop();
    if (page.query.value.trim()) search(page.query.value);
  });

  // Camera: the browser's BarcodeDetector where it reads QR codes, else the bundled jsQR.
  var camera = { stream: null, detector: null, canvas: null, last: "", lastAt: 0, busy: false };

  function loadJsQR() {
    if (window.jsQR) return Promise.resolve(window.jsQR);
    return new Promise(function (resolve, reject) {
      var script = el("script", { src: config.urls.jsqr });
      script.onload = function () { resolve(window.jsQR); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function chooseDetector() {
    if ("BarcodeDetector" in window && window.BarcodeDetector.getSupportedFormats) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") >= 0) {
          var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          return function () {
            return detector.detect(page.video).then(function (codes) {
              return codes.length ? codes[0].rawValue : null;
            });
          };
        }
        return jsQRDetector();
      }, jsQRDetector);
    }
    return jsQRDetector();
  }

  function jsQRDetector() {
    return loadJsQR().then(function (jsQR) {
      camera.canvas = camera.canvas || document.createElement("canvas");
      var context = camera.canvas.getContext("2d", { willReadFrequently: true });
      return function () {
        var width = page.video.videoWidth, height = page.video.videoHeight;
        if (!width || !height) return Promise.resolve(null);
        var scale = Math.min(1, 640 / Math.max(width, height));
        camera.canvas.width = Math.round(width * scale);
        camera.canvas.height = Math.round(height * scale);
        context.drawImage(page.video, 0, 0, camera.canvas.width, camera.canvas.height);
        var image = context.getImageData(0, 0, camera.canvas.width, camera.canvas.height);
        var found = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(found ? found.data : null);
      };
    });
  }

  function look() {
    if (!camera.stream) return;
    if (!camera.busy && page.video.readyState >= 2) {
      camera.busy = true;
      camera.detector().then(function (text) {
        camera.busy = false;
        if (!text) return;
        var code = codeIn(text) || text.trim();
        var now = Date.now();
        // The same badge held in front of the camera is read many times a second.
        if (code === camera.last && now - camera.lastAt < 5000) return;
        camera.last = code;
        camera.lastAt = now;
        checkIn(code, "scan");
      }, function () { camera.busy = false; });
    }
    setTimeout(look, 150);
  }

  function stopCamera() {
    if (camera.stream) camera.stream.getTracks().forEach(function (track) { track.stop(); });
    camera.stream = null;
    page.videoBox.hidden = true;
    page.cameraButton.textContent = T.start_camera;
  }

  function cameraProblem(text) {
    page.videoBox.hidden = false;
    page.cameraProblem.textContent = text;
    page.cameraProblem.hidden = false;
  }

  function startCamera() {
    page.cameraProblem.hidden = true;
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        camera.stream = stream;
        page.video.srcObject = stream;
        page.videoBox.hidden = false;
        page.cameraButton.textContent = T.stop_camera;
        return page.video.play().then(chooseDetector).then(function (detector) {
          camera.detector = detector;
          look();
        });
      })
      .catch(function (error) {
        stopCamera();
        cameraProblem(error && error.name === "NotAllowedError" ? T.camera_denied : T.camera_unavailable);
      });
  }

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    page.cameraButton.hidden = false;
    page.cameraButton.addEventListener("click", function () {
      if (camera.stream) stopCamera();
      else startCamera();
    });
  }

  // --- counts and the offline list --------------------------------------------------------------

  function markCurrentWorkshop() {
    if (!page.workshopCounts) return;
    Array.prototype.forEach.call(page.workshopCounts.children, function (item) {
      item.classList.toggle("current", Number(item.dataset.workshop) === state.workshop);
    });
  }

  function refreshCounts() {
    if (document.hidden) return Promise.resolve();
    return request("GET", config.urls.counts, undefined, SYNC_TIMEOUT).then(
      function (reply) {
        if (reply.status !== 200) return;
        page.checkedIn.textContent = reply.data.checked_in;
        page.registered.textContent = reply.data.registered;
        reply.data.workshops.forEach(function (workshop) {
          var item = page.workshopCounts && page.workshopCounts.querySelector('[data-workshop="' + workshop.id + '"]');
          if (!item) return;
          item.querySelector('[data-count="checked_in"]').textContent = workshop.checked_in;
          item.querySelector('[data-count="registered"]').textContent = workshop.registered;
        });
      },
      function () {}
    );
  }

  function loadCodes() {
    return request("GET", config.urls.codes, undefined, 20000).then(
      function (reply) {
        if (reply.status !== 200) return;
        state.codes = reply.data.codes;
        state.codesAt = reply.data.generated_at;
        try {
          localStorage.setItem(CODES_KEY, JSON.stringify({ codes: state.codes, at: state.codesAt }));
        } catch (error) {
          // Storage full: the list stays in memory only.
        }
        showNetwork();
      },
      function () {
        if (state.codes) return;
        try {
          var kept = JSON.parse(localStorage.getItem(CODES_KEY) || "null");
          if (kept) {
            state.codes = kept.codes;
            state.codesAt = kept.at;
          }
        } catch (error) {
          // A damaged copy: go without.
        }
      }
    );
  }

  window.addEventListener("online", function () {
    state.lastError = null;
    sendQueue();
    refreshCounts();
  });
  setInterval(sendQueue, SYNC_EVERY);
  setInterval(refreshCounts, COUNTS_EVERY);
  setInterval(loadCodes, CODES_EVERY);

  markCurrentWorkshop();
  showNetwork();
  loadCodes().then(sendQueue);

  // For the page's own checks in a browser.
  window.forumDeskCheckin = { state: state, readQueue: readQueue, sendQueue: sendQueue, checkIn: checkIn };
})();
