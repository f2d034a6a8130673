"""The demo WABA's approved templates, as creation payloads (they go through the same checks as
`POST /{waba-id}/message_templates`). Most are the conformance definitions (from pywa's test data, MIT)
plus Meta's `hello_world`, a named-parameter template and a quick-reply one.
"""
from __future__ import annotations

import copy

# The samples of the demo's media headers, as if uploaded with the Resumable Upload API: seeding registers
# them as issued (handle -> MIME type, file name), so the demo's templates pass the handle check when a
# client sends their components back.
_IMAGE = "4::aW1hZ2UvanBlZw==:ARbDemoBannerSample"
_PDF = "4::YXBwbGljYXRpb24vcGRm:ARbDemoReceiptSample"
DEMO_HANDLES = {_IMAGE: ("image/jpeg", "banner.jpg"), _PDF: ("application/pdf", "receipt.pdf")}
_HANDLE = {"header_handle": [_IMAGE]}

_DEFINITIONS: list[dict] = [
    {"name": "hello_world", "language": "en_US", "category": "UTILITY", "components": [
        {"type": "HEADER", "format": "TEXT", "text": "Hello World"},
        {"type": "BODY", "text": "Welcome and congratulations!! This message demonstrates your ability to send a "
                                 "WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for "
                                 "taking the time to test with us."},
        {"type": "FOOTER", "text": "WhatsApp Business Platform sample message"}]},
    {"name": "appointment_reminder", "language": "en_US", "category": "UTILITY", "components": [
        {"type": "BODY", "text": "Hi {{1}}, this is a reminder of your appointment on {{2}}. Can you make it?",
         "example": {"body_text": [["Pablo", "May 5 at 10:00"]]}},
        {"type": "FOOTER", "text": "Reply with a button below"},
        {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Yes, see you"},
                                        {"type": "QUICK_REPLY", "text": "Reschedule"}]}]},
    {"name": "order_shipped", "language": "en_US", "category": "UTILITY", "parameter_format": "named",
     "components": [
         {"type": "BODY", "text": "Hi {{first_name}}, your order {{order_number}} has shipped and is on its way.",
          "example": {"body_text_named_params": [{"param_name": "first_name", "example": "Pablo"},
                                                 {"param_name": "order_number", "example": "SKBUP2-4CPIG9"}]}},
         {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Track order",
                                          "url": "https://shop.example.com/track/{{1}}", "example": ["SKBUP2"]}]}]},
    {"name": "seasonal_promotion", "language": "en_US", "category": "MARKETING", "components": [
        {"type": "HEADER", "format": "TEXT", "text": "Our {{1}} is on!", "example": {"header_text": ["Summer Sale"]}},
        {"type": "BODY", "text": "Shop now through {{1}} and use code {{2}} to get {{3}} off of all merchandise.",
         "example": {"body_text": [["the end of August", "25OFF", "25%"]]}},
        {"type": "FOOTER", "text": "Use the buttons below to manage your MARKETING subscriptions"},
        {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Unsubscribe from Promos"},
                                        {"type": "QUICK_REPLY", "text": "Unsubscribe from All"}]}]},
    {"name": "order_confirmation", "language": "en_US", "category": "UTILITY", "components": [
        {"type": "HEADER", "format": "DOCUMENT", "example": {"header_handle": [_PDF]}},
        {"type": "BODY", "text": "Thank you for your order, {{1}}! Your order number is {{2}}. Tap the PDF linked "
                                 "above to view your receipt. If you have any questions, please use the buttons below "
                                 "to contact support. Thank you for being a customer!",
         "example": {"body_text": [["Pablo", "860198-230332"]]}},
        {"type": "BUTTONS", "buttons": [{"type": "PHONE_NUMBER", "text": "Call", "phone_number": "15550051310"},
                                        {"type": "URL", "text": "Contact Support",
                                         "url": "https://www.luckyshrub.com/support"}]}]},
    {"name": "order_delivery_update", "language": "en_US", "category": "UTILITY", "components": [
        {"type": "HEADER", "format": "LOCATION"},
        {"type": "BODY", "text": "Good news {{1}}! Your order #{{2}} is on its way to the location above. Thank you "
                                 "for your order!", "example": {"body_text": [["Mark", "566701"]]}},
        {"type": "FOOTER", "text": "To stop receiving delivery updates, tap the button below."},
        {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Stop Delivery Updates"}]}]},
    {"name": "coupon_code_fall2023_25off", "language": "en_US", "category": "MARKETING", "components": [
        {"type": "HEADER", "format": "TEXT", "text": "Our Fall Sale is on!"},
        {"type": "BODY", "text": "Shop now through November and use code {{1}} to get {{2}} off of all merchandise!",
         "example": {"body_text": [["25OFF", "25%"]]}},
        {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Unsubscribe"},
                                        {"type": "COPY_CODE", "example": "250FF"}]}]},
    {"name": "authentication_code_copy_code_button", "language": "en_US", "category": "AUTHENTICATION",
     "message_send_ttl_seconds": 60, "components": [
         {"type": "BODY", "add_security_recommendation": True},
         {"type": "FOOTER", "code_expiration_minutes": 5},
         {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy Code"}]}]},
    {"name": "carousel_template_media_cards_v1", "language": "en_US", "category": "MARKETING", "components": [
        {"type": "BODY", "text": "Rare succulents for sale! {{1}}, add these unique plants to your collection. Each of "
                                 "these rare succulents are {{2}} if you checkout using code {{3}}. Shop now and add "
                                 "some unique and beautiful plants to your collection!",
         "example": {"body_text": [["Pablo", "30%", "30OFF"]]}},
        {"type": "CAROUSEL", "cards": [
            {"components": [
                {"type": "HEADER", "format": "IMAGE", "example": _HANDLE},
                {"type": "BODY", "text": "Add a touch of elegance to your collection with the beautiful Aloe 'Blue "
                                         "Elf' succulent."},
                {"type": "BUTTONS", "buttons": [
                    {"type": "QUICK_REPLY", "text": "Send me more like this!"},
                    {"type": "URL", "text": "Shop", "url": "https://www.luckyshrub.com/rare-succulents/{{1}}",
                     "example": ["BLUE_ELF"]}]}]},
            {"components": [
                {"type": "HEADER", "format": "IMAGE", "example": _HANDLE},
                {"type": "BODY", "text": "The Crassula Buddha's Temple is sure to be a conversation starter."},
                {"type": "BUTTONS", "buttons": [
                    {"type": "QUICK_REPLY", "text": "Send me more like this!"},
                    {"type": "URL", "text": "Shop", "url": "https://www.luckyshrub.com/rare-succulents/{{1}}",
                     "example": ["BUDDHA"]}]}]}]}]},
    {"name": "limited_time_offer_caribbean_pkg_2023", "language": "en_US", "category": "MARKETING", "components": [
        {"type": "HEADER", "format": "IMAGE", "example": _HANDLE},
        {"type": "LIMITED_TIME_OFFER", "limited_time_offer": {"text": "Expiring offer!", "has_expiration": True}},
        {"type": "BODY", "text": "Good news, {{1}}! Use code {{2}} to get 25% off all Caribbean Destination packages!",
         "example": {"body_text": [["Pablo", "CARIBE25"]]}},
        {"type": "BUTTONS", "buttons": [
            {"type": "COPY_CODE", "example": "CARIBE25"},
            {"type": "URL", "text": "Book now!", "url": "https://awesomedestinations.com/offers?code={{1}}",
             "example": ["https://awesomedestinations.com/offers?ref=n3mtql"]}]}]},
]


def demo_templates() -> list[dict]:
    """Normalized definitions (Template constructor fields minus id/waba/status)."""
    from .templates import normalize_definition

    return [normalize_definition(copy.deepcopy(d)) for d in _DEFINITIONS]
