"""The sandbox's web pages: the index (`/_sandbox/`), the customer's phone (`/_sandbox/phone/{number}/{wa_id}`)
and the Embedded Signup dialog (`/_sandbox/embedded-signup`). Plain HTML and a little JavaScript.
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from .control import ControlError, body_of
from .service import Sandbox

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f0f2f5;color:#111b21}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:22px} h2{font-size:17px;margin-top:28px} table{border-collapse:collapse;width:100%;background:#fff}
td,th{border-bottom:1px solid #e9edef;padding:6px 8px;text-align:left;font-size:14px;vertical-align:top}
code{background:#e9edef;padding:1px 4px;border-radius:4px;font-size:13px} a{color:#008069}
.card{background:#fff;border-radius:10px;padding:16px;margin:12px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
button,.btn{background:#008069;color:#fff;border:0;border-radius:18px;padding:8px 16px;font-size:14px;cursor:pointer}
button.secondary{background:#e9edef;color:#111b21} input,select{padding:7px;border:1px solid #d1d7db;border-radius:6px}
.muted{color:#667781;font-size:13px}
"""


def esc(value) -> str:
    return html.escape(str(value if value is not None else ""), quote=True)


def script_json(value) -> str:
    return json.dumps(value).replace("</", "<\\/")


class Pages:
    def __init__(self, sandbox: Sandbox):
        self.sb = sandbox
        self.state = sandbox.state

    # --- index ---------------------------------------------------------------------------------------
    async def index(self, request: Request) -> Response:
        s = self.state
        with s.lock:
            businesses = list(s.businesses.values())
            wabas = list(s.wabas.values())
            numbers = list(s.numbers.values())
            customers = list(s.customers.values())
            tokens = list(s.tokens.values())
            apps = list(s.apps.values())
        parts = [f"<h1>WhatsApp sandbox</h1><p class='muted'>A local emulator of Meta's WhatsApp Cloud API. Graph "
                 f"paths: <code>{esc(str(request.base_url).rstrip('/'))}/v23.0/…</code>. Webhooks go to "
                 f"<code>{esc(s.config.webhook_url)}</code>. See sandbox/README.md.</p>"]
        parts.append("<h2>Apps</h2><table><tr><th>app id</th><th>name</th><th>secret (signs webhooks)</th></tr>")
        parts += [f"<tr><td><code>{esc(a.id)}</code></td><td>{esc(a.name)}</td><td><code>{esc(a.secret)}</code></td>"
                  "</tr>" for a in apps]
        parts.append("</table>")
        for business in businesses:
            parts.append(f"<div class='card'><h2>{esc(business.name)} <span class='muted'>business "
                         f"{esc(business.id)}</span></h2>")
            for waba in [w for w in wabas if w.business_id == business.id]:
                subscribed = ", ".join(waba.subscriptions) or "no app subscribed: no webhooks"
                parts.append(f"<p>WABA <code>{esc(waba.id)}</code> · subscribed apps: {esc(subscribed)}</p>")
                parts.append("<table><tr><th>phone number id</th><th>number</th><th>name</th><th>quality · tier · "
                             "throughput</th><th>status</th><th>chats</th></tr>")
                for n in [n for n in numbers if n.waba_id == waba.id]:
                    chats = " ".join(f"<a href='/_sandbox/phone/{esc(n.id)}/{esc(c.wa_id)}'>{esc(c.name)}</a>"
                                     for c in customers)
                    parts.append(f"<tr><td><code>{esc(n.id)}</code></td><td>{esc(n.display_phone_number)}</td>"
                                 f"<td>{esc(n.verified_name)}</td><td>{esc(n.quality_rating)} · "
                                 f"{esc(n.messaging_limit_tier)} · {esc(n.throughput_level)} ({n.mps}/s)</td>"
                                 f"<td>{esc(n.status)}{'' if n.registered else ' (not registered)'}</td>"
                                 f"<td>{chats}</td></tr>")
                parts.append("</table>")
            parts.append("</div>")
        parts.append("<h2>Customers</h2><table><tr><th>wa_id</th><th>name</th><th>open windows</th></tr>")
        for c in customers:
            open_on = [n.id for n in numbers if s.window_open(n.id, c.wa_id)]
            parts.append(f"<tr><td><code>{esc(c.wa_id)}</code></td><td>{esc(c.name)}"
                         f"{' (undeliverable)' if c.undeliverable else ''}</td>"
                         f"<td>{esc(', '.join(open_on) or 'none')}</td></tr>")
        parts.append("</table>")
        parts.append("""<div class='card'><b>Open a chat as a new customer</b><br><br>
<form id='newchat'><input name='wa_id' placeholder='+16505550199' required>
<input name='name' placeholder='Profile name'> <select name='pn'>""" + "".join(
            f"<option value='{esc(n.id)}'>{esc(n.display_phone_number)} · {esc(n.verified_name)}</option>"
            for n in numbers) + """</select> <button>Open phone</button></form></div>
<script>
document.getElementById('newchat').onsubmit = async (e) => {
  e.preventDefault(); const f = new FormData(e.target);
  const r = await fetch('/_sandbox/customers', {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({wa_id: f.get('wa_id'), name: f.get('name') || undefined})});
  const c = await r.json(); if (!r.ok) { alert(c.error.message); return; }
  location.href = '/_sandbox/phone/' + f.get('pn') + '/' + c.wa_id;
};
</script>""")
        parts.append("<h2>Access tokens</h2><table><tr><th>token</th><th>kind</th><th>WABAs</th><th>state</th></tr>")
        for t in tokens:
            state = "valid" if t.valid and not (t.expires_at and t.expires_at <= s.now()) else "invalid/expired"
            parts.append(f"<tr><td><code>{esc(t.token)}</code></td><td>{esc(t.kind)}</td>"
                         f"<td>{esc(', '.join(t.waba_ids))}</td><td>{state}</td></tr>")
        parts.append("</table>")
        app_id = apps[0].id if apps else ""
        parts.append(f"<h2>Tools</h2><p><a href='/_sandbox/embedded-signup?{esc(urlencode({'app_id': app_id}))}'>"
                     "Embedded Signup dialog</a> · <a href='/_sandbox/webhooks?body=0'>webhook outbox</a> · "
                     "<a href='/_sandbox/state'>state (JSON)</a> · <a href='/_sandbox/faults'>fault knobs</a> · "
                     "<a href='/_sandbox/messages'>messages</a></p>")
        return HTMLResponse(_page("WhatsApp sandbox", "".join(parts)))

    # --- phone ---------------------------------------------------------------------------------------
    async def phone(self, request: Request) -> Response:
        number = self.state.numbers.get(request.path_params["phone_number_id"])
        if number is None:
            return HTMLResponse(_page("Not found", "<h1>No such phone number</h1>"), status_code=404)
        wa_id = "".join(ch for ch in request.path_params["wa_id"] if ch.isdigit())
        customer = self.state.ensure_customer(wa_id)
        config = {"pn": number.id, "wa": wa_id, "business": number.verified_name,
                  "display": number.display_phone_number, "me": customer.name}
        return HTMLResponse(PHONE_HTML.replace("__CONFIG__", script_json(config))
                            .replace("__TITLE__", esc(f"{customer.name} ↔ {number.verified_name}")))

    # --- Embedded Signup ------------------------------------------------------------------------------
    async def signup_page(self, request: Request) -> Response:
        q = request.query_params
        app = self.state.apps.get(q.get("app_id", ""))
        if app is None:
            return HTMLResponse(_page("Embedded Signup", f"<h1>Unknown app</h1><p>app_id "
                                                         f"<code>{esc(q.get('app_id'))}</code> is not an app of the "
                                                         "sandbox.</p>"), status_code=400)
        options = "".join(
            f"<label><input type='radio' name='business_id' value='{esc(b.id)}'> {esc(b.name)} "
            f"<span class='muted'>({esc(b.id)})</span></label><br>" for b in self.state.businesses.values())
        hidden = "".join(f"<input type='hidden' name='{k}' value='{esc(q.get(k, ''))}'>"
                         for k in ("app_id", "redirect_uri", "state"))
        body = f"""<div class='card' style='max-width:520px;margin:40px auto'>
<h1>Connect WhatsApp to {esc(app.name)}</h1>
<p class='muted'>Sandbox stand-in for Meta's Embedded Signup. {esc(app.name)} will be able to manage your WhatsApp
Business Account and send messages on your behalf.</p>
<form method='post' action='/_sandbox/embedded-signup'>{hidden}
<p><b>Business portfolio</b><br>{options}
<label><input type='radio' name='business_id' value='' checked> Create a new business:</label>
<input name='business_name' placeholder='Acme Bakery'></p>
<p><b>WhatsApp display name</b><br><input name='verified_name' placeholder='same as the business'></p>
<p><b>Phone numbers</b><br><select name='numbers'><option value='1'>1 new number</option>
<option value='2'>2 new numbers</option></select></p>
<p><button name='action' value='continue'>Continue</button>
<button class='secondary' name='action' value='cancel' formnovalidate>Cancel</button></p>
</form></div>"""
        return HTMLResponse(_page("Embedded Signup", body))

    async def signup_submit(self, request: Request) -> Response:
        wants_json = "application/json" in request.headers.get("content-type", "")
        try:
            form = await body_of(request)
        except ControlError as error:
            return error.response()
        redirect_uri, state_param = str(form.get("redirect_uri") or ""), str(form.get("state") or "")
        if form.get("action") == "cancel":
            query = {"error": "access_denied", "error_reason": "user_denied",
                     "error_description": "The user cancelled the signup.", "state": state_param}
            event = {"type": "WA_EMBEDDED_SIGNUP", "event": "CANCEL", "data": {"current_step": "BUSINESS_SETUP"}}
            return self._finish(redirect_uri, query, event, wants_json, "Signup cancelled")
        try:
            result = self.sb.embedded_signup(
                app_id=str(form.get("app_id") or ""), business_id=str(form.get("business_id") or "") or None,
                business_name=form.get("business_name"), numbers=int(form.get("numbers") or 1),
                verified_name=form.get("verified_name"), redirect_uri=redirect_uri)
        except ValueError as error:
            if wants_json:
                return JSONResponse({"error": {"message": str(error)}}, status_code=400)
            return HTMLResponse(_page("Embedded Signup", f"<h1>Can't continue</h1><p>{esc(error)}</p>"),
                                status_code=400)
        query = {"code": result["code"], "state": state_param}
        event = {"type": "WA_EMBEDDED_SIGNUP", "event": "FINISH",
                 "data": {"phone_number_id": result["phone_number_ids"][0], "waba_id": result["waba_id"],
                          "business_id": result["business_id"]}}
        if wants_json:
            return JSONResponse({**result, "state": state_param,
                                 "redirect_url": _with_query(redirect_uri, query) if redirect_uri else None})
        return self._finish(redirect_uri, query, event, False, "Signup finished")

    @staticmethod
    def _finish(redirect_uri: str, query: dict, event: dict, wants_json: bool, title: str) -> Response:
        target = _with_query(redirect_uri, query) if redirect_uri else ""
        if wants_json:
            return JSONResponse({**query, "redirect_url": target or None})
        if target and not target.lower().startswith(("http://", "https://", "/")):
            target = ""
        # Tell an opener window (popup flow) like Meta's WA_EMBEDDED_SIGNUP message event, then go to redirect_uri.
        refresh = f"<meta http-equiv='refresh' content='1;url={esc(target)}'>" if target else ""
        body = f"""{refresh}<div class='card' style='max-width:520px;margin:40px auto'><h1>{esc(title)}</h1>
<p>Authorization code: <code id='code'>{esc(query.get('code', '-'))}</code></p>
<p class='muted'>{'Returning to the app...' if target else 'No redirect_uri was given: copy the code.'}</p></div>
<script>
const event = {script_json(event)}; const target = {script_json(target)};
try {{ if (window.opener) window.opener.postMessage(JSON.stringify(event), '*'); }} catch (e) {{}}
if (target) location.replace(target);
</script>"""
        return HTMLResponse(_page(title, body))


def _with_query(url: str, query: dict) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(query)


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width,initial-scale=1'><title>{esc(title)}</title><style>{STYLE}</style></head>"
            f"<body><main>{body}</main></body></html>")


PHONE_HTML = (Path(__file__).parent / "phone.html").read_text(encoding="utf-8")
