"""Meta's limits, in one place (reference §2, §2.9, §2.10). docs/whatsapp-client.md tables them.

Lengths are counted in characters (Python `len`, i.e. code points), the way Meta's docs state them.
"""

TEXT_BODY = 4096
CAPTION = 1024
FILENAME = 240  # not a documented Meta limit; a sanity cap so a filename can't be a megabyte
BIZ_OPAQUE_CALLBACK_DATA = 512
CONTACTS_PER_MESSAGE = 257
URL = 2000

# interactive
INTERACTIVE_BODY = 1024
LIST_BODY = 4096
HEADER_TEXT = 60
FOOTER_TEXT = 60
REPLY_BUTTONS_MAX = 3
REPLY_BUTTON_ID = 256
REPLY_BUTTON_TITLE = 20
LIST_BUTTON = 20
LIST_SECTIONS_MAX = 10
LIST_ROWS_MAX = 10  # across all sections
LIST_SECTION_TITLE = 24
LIST_ROW_ID = 200
LIST_ROW_TITLE = 24
LIST_ROW_DESCRIPTION = 72
CTA_DISPLAY_TEXT = 20
FLOW_CTA = 30
CAROUSEL_CARDS_MIN = 2
CAROUSEL_CARDS_MAX = 10
CAROUSEL_CARD_BODY = 160
CAROUSEL_CARD_BODY_LINE_BREAKS = 2

# templates (send time)
TEMPLATE_NAME = 512
TEMPLATE_HEADER_TEXT_PARAM = 60
TEMPLATE_TEXT_PARAM = 1024
TEMPLATE_BUTTONS_MAX = 10
COUPON_CODE = 20  # copy-code buttons: 15, coupon templates 20 since Dec 2025
OTP_CODE = 15
