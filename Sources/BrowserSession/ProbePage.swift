/// The probe page: builds an RTCPeerConnection with the round's ICE servers,
/// a data channel, createOffer/setLocalDescription, waits for gathering to
/// complete (or the timeout), then POSTs what it saw to /candidates.
/// The configuration comes from /config.json so nothing is spliced into HTML.
enum ProbePage {
    static let html = #"""
<!doctype html>
<html><head><meta charset="utf-8"><title>leakscope probe</title></head>
<body><pre id="log">gathering...</pre>
<script>
"use strict";
const params = new URLSearchParams(location.search);
const round = params.get("round") || "0";
const token = params.get("token") || "";
async function post(report) {
  report.round = Number(round);
  await fetch("/candidates?round=" + encodeURIComponent(round) + "&token=" + encodeURIComponent(token), {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(report)});
  document.getElementById("log").textContent = "reported " + (report.candidates || []).length + " candidates";
  document.title = "leakscope probe: done";
}
(async () => {
  const cfg = await (await fetch("/config.json?round=" + encodeURIComponent(round) + "&token=" + encodeURIComponent(token))).json();
  const candidates = [], errors = [];
  if (typeof RTCPeerConnection === "undefined") {
    // WebRTC switched off (Firefox media.peerconnection.enabled = false): a finished round with nothing gathered.
    await post({complete: true, gathering_ms: 0, candidates, user_agent: navigator.userAgent,
                errors: [{url: null, code: null, text: "RTCPeerConnection is not available (WebRTC disabled)"}]});
    return;
  }
  const t0 = performance.now();
  let done = false;
  const pc = new RTCPeerConnection({iceServers: cfg.iceServers});
  pc.createDataChannel("leakscope");
  const finish = async (complete) => {
    if (done) return;
    done = true;
    await post({complete, gathering_ms: Math.round(performance.now() - t0), candidates, errors,
                sdp: pc.localDescription ? pc.localDescription.sdp : "", user_agent: navigator.userAgent});
    pc.close();
  };
  pc.onicecandidate = (e) => {
    if (!e.candidate) { finish(true); return; }
    const c = e.candidate;
    if (!c.candidate) return;
    candidates.push({line: c.candidate, url: e.url || c.url || null});
  };
  pc.onicecandidateerror = (e) => errors.push({url: e.url || null, code: e.errorCode, text: e.errorText || null,
                                                address: e.address || null, port: e.port || null});
  pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === "complete") finish(true); };
  setTimeout(() => finish(false), cfg.timeoutMs);
  await pc.setLocalDescription(await pc.createOffer());
})().catch((err) => post({complete: false, failure: String(err), candidates: [], errors: []}));
</script></body></html>
"""#
}
