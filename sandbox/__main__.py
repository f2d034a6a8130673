"""`python -m sandbox [--host 127.0.0.1] [--port 8010]`: run the WhatsApp sandbox with uvicorn.

State persists in $SANDBOX_STATE_FILE (default .data/sandbox/state.json in the repository; `--state-file none`
keeps it in memory only); a missing file starts from the demo business. `--reset` ignores the file.
"""
from __future__ import annotations

import argparse
import gc
import logging
import os
from pathlib import Path

import uvicorn

from .app import create_app
from .state import SandboxConfig, SandboxState

REPO_DIR = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description="Local emulator of the WhatsApp Cloud API")
    parser.add_argument("--host", default=os.environ.get("SANDBOX_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SANDBOX_PORT", "8010")))
    parser.add_argument("--state-file", default=os.environ.get("SANDBOX_STATE_FILE",
                                                               str(REPO_DIR / ".data" / "sandbox" / "state.json")))
    parser.add_argument("--webhook-url", default=None, help="default $SANDBOX_WEBHOOK_URL or "
                                                            "http://localhost:8000/webhooks/whatsapp")
    parser.add_argument("--reset", action="store_true", help="start from the demo business, ignoring the state file")
    parser.add_argument("--access-log", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(levelname)s %(name)s: %(message)s")

    config = SandboxConfig.from_env()
    if args.state_file.lower() in ("", "none", "-"):
        state = SandboxState.demo(config=config)
    else:
        path = Path(args.state_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        if args.reset and path.exists():
            path.unlink()
        state = SandboxState.load_or_demo(path, config=config)
    # The sandbox keeps what Meta would (every message accepted, its statuses, for the phone pages and the control
    # API): millions of long-lived objects in a campaign bench. Python's full collections walked them all, pausing
    # the event loop up to 0.6 s at a time (18 pauses, 4.9 s in 75 s at 1,000 msg/s) while every send in flight
    # waited. Young objects are still collected; full collections become rare.
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    app = create_app(state, webhook_url=args.webhook_url)
    logging.getLogger("sandbox").info("WhatsApp sandbox on http://%s:%s/_sandbox/ (webhooks to %s)", args.host,
                                      args.port, state.config.webhook_url)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", access_log=args.access_log)


if __name__ == "__main__":
    main()
