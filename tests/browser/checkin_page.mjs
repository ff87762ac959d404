// The check-in page in headless Chromium, driven over the DevTools protocol as a door helper
// uses it: search and tap, undo, hand scanner, refusals, offline queue and its sync, a slow
// answer, workshop mode and the camera (a fake one showing a badge). Prints PASS or FAIL per
// step and saves screenshots. Needs Node 20+ and /usr/bin/chromium; see docs/checkin.md.
//
//   node --experimental-websocket tests/browser/checkin_page.mjs BASE OUTDIR [WIDTH]
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const [base, out, widthArgument] = process.argv.slice(2);
const facts = JSON.parse(readFileSync(`${out}/facts.json`, "utf8"));
const port = 9300 + Math.floor(Math.random() * 500);
const chrome = spawn("/usr/bin/chromium", [
  "--headless", "--no-sandbox", "--disable-gpu", `--remote-debugging-port=${port}`,
  `--user-data-dir=${out}/profile-${port}`, "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${out}/qr.y4m`,
  "about:blank",
], { stdio: "ignore" });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let results = [];
function check(name, ok, detail) {
  results.push(`${ok ? "PASS" : "FAIL"} ${name}${detail === undefined ? "" : " — " + JSON.stringify(detail)}`);
}

async function main() {
  let targets;
  for (let i = 0; i < 50; i++) {
    try { targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json(); break; } catch { await sleep(200); }
  }
  const page = targets.find((t) => t.type === "page");
  const ws = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise((r) => ws.addEventListener("open", r));
  let id = 0; const pending = new Map(); const consoleLines = [];
  ws.addEventListener("message", (event) => {
    const msg = JSON.parse(event.data);
    if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
    if (msg.method === "Runtime.exceptionThrown") consoleLines.push("EXCEPTION " + JSON.stringify(msg.params.exceptionDetails).slice(0, 400));
    if (msg.method === "Runtime.consoleAPICalled") consoleLines.push("console " + msg.params.args.map((a) => a.value).join(" "));
  });
  const send = (method, params = {}) => new Promise((resolve) => { const n = ++id; pending.set(n, resolve); ws.send(JSON.stringify({ id: n, method, params })); });
  const evaluate = async (expression) => {
    const reply = await send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
    if (reply.result.exceptionDetails) throw new Error(JSON.stringify(reply.result.exceptionDetails).slice(0, 500));
    return reply.result.result.value;
  };
  const shot = async (name) => {
    const reply = await send("Page.captureScreenshot", { format: "png", captureBeyondViewport: true });
    writeFileSync(`${out}/${name}.png`, Buffer.from(reply.result.data, "base64"));
  };
  const answer = () => evaluate(`(() => { const a = document.getElementById("checkin-answer"); return { hidden: a.hidden, kind: a.className.replace("checkin-answer ", ""), text: a.innerText.replace(/\\s+/g, " ").trim() }; })()`);
  const network = () => evaluate(`(() => { const n = document.getElementById("checkin-network"); return n.hidden ? "" : n.innerText; })()`);
  const queueLength = () => evaluate(`window.forumDeskCheckin.readQueue().length`);
  const scan = async (code) => { await evaluate(`(() => { const q = document.getElementById("checkin-query"); q.focus(); q.value = ${JSON.stringify(code)}; q.dispatchEvent(new Event("input")); document.getElementById("checkin-form").requestSubmit(); })()`); await sleep(700); };
  const counts = async () => (await (await fetch(`${base}/forums/kl/checkin/counts/`, { headers: { Cookie: `sessionid=${facts.session}` } })).json());

  await send("Runtime.enable"); await send("Network.enable"); await send("Page.enable");
  await send("Network.setCookie", { name: "sessionid", value: facts.session, url: base });
  const width = Number(widthArgument || 390);
  await send("Emulation.setDeviceMetricsOverride", { width, height: 1400, deviceScaleFactor: 1, mobile: width < 600 });
  await send("Page.navigate", { url: `${base}/forums/kl/checkin/` });
  await sleep(2500);
  check("codes list loaded", await evaluate(`Object.keys(window.forumDeskCheckin.state.codes || {}).length`) === 6);
  await shot(`page-${width}`);

  // Search as you type, accent-insensitive, then one tap.
  await evaluate(`(() => { const q = document.getElementById("checkin-query"); q.value = "martinez"; q.dispatchEvent(new Event("input")); })()`);
  await sleep(900);
  const found = await evaluate(`Array.from(document.querySelectorAll("#checkin-results li strong")).map((e) => e.textContent)`);
  check("search 'martinez' finds José Martínez", JSON.stringify(found) === JSON.stringify(["José Martínez"]), found);
  await shot(`search-${width}`);
  await evaluate(`document.querySelector("#checkin-results li button").click()`);
  await sleep(900);
  let a = await answer();
  check("tap checks in", a.kind === "ok" && a.text.includes("José Martínez") && a.text.includes("A1 Migrant labour"), a);
  await shot(`answer-ok-${width}`);
  check("counts updated", (await counts()).checked_in === 1);
  await sleep(5500);
  check("page count polled", await evaluate(`document.getElementById("count-checked-in").textContent`) === "1");

  // Undo.
  await evaluate(`document.querySelector("#checkin-answer button").click()`);
  await sleep(800);
  a = await answer();
  check("undo", a.text === "Check-in undone." && (await counts()).checked_in === 0, a);

  // Hand scanner: the code and Enter.
  await scan(facts.codes["Đặng Văn An"]);
  a = await answer();
  check("hand scanner ok", a.kind === "ok" && a.text.includes("Đặng Văn An"), a);
  await scan(facts.codes["Đặng Văn An"]);
  a = await answer();
  check("second scan already, with time and zone and by", a.kind === "already" && /at \d\d:\d\d \(Asia\/Kuala_Lumpur\) by desk@forumdesk.example/.test(a.text), a);
  await shot(`answer-already-${width}`);
  await scan(facts.codes["Maria López"]);
  a = await answer();
  check("cancelled refused", a.kind === "refused" && a.text.includes("This registration is cancelled."), a);
  await shot(`answer-refused-${width}`);

  // Offline: kept with its nonce, answered from the codes list.
  await send("Network.emulateNetworkConditions", { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await scan(facts.codes["Siti Rahman"]);
  a = await answer();
  check("offline scan saved", a.kind === "saved" && a.text.includes("Siti Rahman"), a);
  check("one waits", (await network()).includes("1 scan waits to be sent."), await network());
  await shot(`offline-saved-${width}`);
  await scan(facts.codes["Siti Rahman"]);
  a = await answer();
  check("offline second scan: already (offline check)", a.kind === "already" && a.text.includes("Offline check"), a);
  await scan(facts.codes["王芳"]);
  a = await answer();
  check("offline waitlisted refused locally", a.kind === "refused" && a.text.includes("waiting list"), a);
  await scan("ZZZZZZZZZZZZZZZZZZZZ");
  a = await answer();
  check("offline unknown refused locally", a.kind === "refused" && a.text.includes("Unknown badge"), a);
  await scan(facts.codes["Venkataraghavan Ramaswamy Iyer"]);
  check("two wait", (await queueLength()) === 2);
  await shot(`offline-two-${width}`);
  await send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await evaluate(`window.dispatchEvent(new Event("online"))`);
  await sleep(2000);
  check("queue sent when online", (await queueLength()) === 0 && (await counts()).checked_in === 3, await counts());
  const recent = await evaluate(`Array.from(document.querySelectorAll("#checkin-recent li")).slice(0, 2).map((e) => e.innerText)`);
  check("recent shows sent later", recent.every((line) => line.includes("Sent later")), recent);

  // Replayed: the same nonce again counts once.
  const nonce = await evaluate(`(() => { const q = [{code: ${JSON.stringify(facts.codes["Siti Rahman"])}, nonce: "replay-1", workshop: null, source: "scan"}]; localStorage.setItem("forumdesk.checkin.queue.kl", JSON.stringify(q)); return "replay-1"; })()`);
  await evaluate(`window.forumDeskCheckin.sendQueue()`);
  await evaluate(`(() => { localStorage.setItem("forumdesk.checkin.queue.kl", JSON.stringify([{code: ${JSON.stringify(facts.codes["Siti Rahman"])}, nonce: "replay-1", workshop: null, source: "scan"}])); return window.forumDeskCheckin.sendQueue(); })()`);
  check("replayed nonce counted once", (await counts()).checked_in === 3 && nonce === "replay-1");

  // Slow answer (over 2 s): kept, and sent again with the same nonce once the network is fast.
  await send("Network.emulateNetworkConditions", { offline: false, latency: 3000, downloadThroughput: -1, uploadThroughput: -1 });
  await scan(facts.codes["José Martínez"]);
  await sleep(2000);
  a = await answer();
  check("slow answer: saved, will send", a.kind === "saved", a);
  await send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await sleep(4000);
  await evaluate(`window.forumDeskCheckin.sendQueue()`);
  check("slow scan counted once", (await queueLength()) === 0 && (await counts()).checked_in === 4, await counts());

  // Workshop mode.
  await evaluate(`(() => { const s = document.getElementById("checkin-workshop"); s.value = "${facts.workshops.A1}"; s.dispatchEvent(new Event("change")); })()`);
  await scan(facts.codes["José Martínez"]);
  a = await answer();
  check("workshop mode checks in at A1", a.kind === "ok", a);
  await scan(facts.codes["Đặng Văn An"]);
  a = await answer();
  check("workshop mode refuses a person without a place", a.kind === "refused" && a.text.includes("no place in this workshop"), a);
  const location = await evaluate(`window.location.search`);
  check("workshop kept in the address", location === `?workshop=${facts.workshops.A1}`, location);
  const a1 = (await counts()).workshops.find((w) => w.code === "A1");
  check("A1 count", a1.checked_in === 1, a1);
  await shot(`workshop-${width}`);

  // Camera (fake device showing Siti's badge; jsQR unless BarcodeDetector reads QR codes here).
  await evaluate(`(() => { const s = document.getElementById("checkin-workshop"); s.value = ""; s.dispatchEvent(new Event("change")); })()`);
  await evaluate(`document.getElementById("checkin-camera").click()`);
  await sleep(4000);
  a = await answer();
  const detector = await evaluate(`"BarcodeDetector" in window ? "BarcodeDetector" : (window.jsQR ? "jsQR" : "none")`);
  check(`camera reads the badge (${detector})`, a.text.includes("Siti Rahman") && a.kind === "already", a);
  await shot(`camera-${width}`);
  await evaluate(`document.getElementById("checkin-camera").click()`);

  check("no script errors", consoleLines.filter((l) => l.startsWith("EXCEPTION")).length === 0, consoleLines);
  ws.close();
}

main().catch((error) => results.push("ERROR " + error.stack)).finally(() => {
  chrome.kill();
  console.log(results.join("\n"));
  process.exitCode = results.every((line) => line.startsWith("PASS")) ? 0 : 1;
});
