"""The WhatsApp sandbox: a local emulator of Meta's WhatsApp Cloud API (see sandbox/README.md)."""
