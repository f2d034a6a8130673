"""Every `code` the API's error envelope can carry, each with what it means: the one list (Saleor's error enums).

Clients switch on `code`, so it is part of the API: the OpenAPI `ErrorEnvelope.code` is an enum of these
(`apps.core.schema`), and the frontend gets them as the TypeScript union `ErrorCode`. A code raised anywhere in
`backend/` or `tenants/` must be listed here: `apps/core/tests/test_error_codes.py` scans the source for them.
Codes computed at run time are listed expanded (`media_{status}` → `media_pending`, `media_failed`).
"""

ERROR_CODES: dict[str, str] = {
    # The exception handler's own (apps.core.errors): DRF and Django exceptions by class, and the fallbacks.
    "validation_error": "Some input is invalid; `errors` says which field and why.",
    "malformed_request": "The body could not be parsed (bad JSON, a NUL byte, not UTF-8).",
    "bad_request": "Django refused the request as a whole (too many fields, a suspicious header).",
    "request_too_large": "The request body is larger than this endpoint accepts.",
    "not_authenticated": "No valid session: log in (or refresh the access cookie) and try again.",
    "authentication_failed": "The credentials or token were refused (expired, ended, or for another business).",
    "permission_denied": "Logged in, but this member may not do this.",
    "not_found": "No such thing here, or not one this member may see (the two look the same).",
    "method_not_allowed": "This endpoint does not accept the HTTP method.",
    "not_acceptable": "The Accept header asks for a format this endpoint can't give.",
    "unsupported_media_type": "The request body's Content-Type is not one this endpoint reads.",
    "throttled": "Too many requests; wait (see Retry-After) and try again.",
    "invalid_request": "A business rule said no (ApplicationError's default when no code is given).",
    "conflict": "The request conflicts with the current state (Conflict's default when no code is given).",
    "error": "Some other client error without a code of its own.",
    "server_error": "Something broke on our side; nothing about the request is known to be wrong.",
    # Hosts, sessions and the origin check.
    "unknown_host": "No active business is served at this address.",
    "csrf_failed": "A cookie-authenticated write did not come from the site's own pages.",
    "invalid_token": "A sign-in link or invitation is invalid, already used or expired.",
    # The public API: API keys and Idempotency-Key (apps/developer).
    "api_key_not_allowed": "API keys can't call this endpoint: it is not part of the public API.",
    "api_key_scope": "The API key lacks the scope this endpoint needs, or is read-only and the request writes.",
    "idempotency_key_invalid": "The Idempotency-Key header is empty, longer than 255 characters or not printable "
                               "ASCII.",
    "idempotency_in_progress": "A request with this Idempotency-Key is still running; retry shortly.",
    "idempotency_mismatch": "This Idempotency-Key was used for a different request (method, path or body).",
    # Team and invitations.
    "last_owner": "The change would leave the business without an owner.",
    "invite_not_pending": "The invitation was already accepted or revoked.",
    # Resellers and the partner console.
    "last_admin": "The change would leave the reseller without an admin.",
    "business_suspended": "The business is suspended: resume it first.",
    "reseller_access_revoked": "The business has turned off its reseller's access; its owner can turn it back on.",
    "no_reseller": "The business has no reseller.",
    "primary_domain": "The domain is the business's primary address and can't be removed.",
    # WhatsApp numbers and Embedded Signup.
    "whatsapp_rejected": "Meta's Graph API refused the request; the message quotes its reason.",
    "already_connected": "This WhatsApp account or number is connected to another ConvoNest business.",
    "invalid_state": "The Embedded Signup session expired or belongs to someone else: start again.",
    "no_account_granted": "Meta's signup granted no WhatsApp Business Account.",
    "no_number": "The business has no WhatsApp number connected to send from.",
    "number_disconnected": "The chosen WhatsApp number was disconnected from the business.",
    # Messages, conversations and media.
    "window_closed": "The 24-hour customer service window is closed: only a template can be sent.",
    "opted_out": "The contact opted out of this category of messages.",
    "no_recipient": "The contact was erased: there is no one to send to.",
    "not_inbound": "Only a customer's message can be marked read.",
    "media_pending": "The media file is still being downloaded from Meta.",
    "media_failed": "Downloading the media file from Meta failed; it is not available.",
    # WhatsApp calls (apps/calls, docs/calls.md): the message explains in plain words and says what to do.
    "calling_disabled": "Calling is off on this WhatsApp number (or it uses SIP): enable it in the call settings.",
    "calling_unavailable": "WhatsApp refused the calling request (prerequisites, limits, the number's quality); "
                           "the message says why.",
    "call_state": "The call's state does not allow this (it ended, or it must be answered first).",
    "call_taken": "Another member answered the call first.",
    "call_in_progress": "A call with this customer is already in progress on this number.",
    "call_permission_required": "The customer has not allowed this number to call them: ask first.",
    "call_permission_exists": "The customer already allowed calls permanently: no request needed.",
    "call_permission_request_limit": "Permission requests are limited to 1 per 24 hours and 2 per 7 days per "
                                     "customer; `errors` says when the next is possible.",
    "call_limit": "At most 10 connected calls by the business per customer in 24 hours.",
    # Live updates (the events service).
    "events_service_only": "Live updates are served by the events service, not the API server.",
    "events_service_busy": "The events service has too many live connections; try again shortly.",
    "too_many_streams": "This member has too many live connections open; close one or wait.",
    # Contacts, attributes and segments.
    "contact_exists": "Another contact already has this phone number or WhatsApp user id.",
    "same_contact": "A contact can't be merged into itself.",
    "choice_in_use": "Contacts still have a choice that the attribute change removes.",
    "attribute_in_use": "Segments use this attribute: change them first.",
    # Contact imports (a CSV file as a whole).
    "file_too_large": "The uploaded file is larger than imports accept.",
    "import_running": "The import is still running: it can be deleted when it has finished.",
    "unsupported_encoding": "The file is not in the encoding given (or not UTF-8 when none was given).",
    "empty_file": "The file is empty.",
    "unreadable_csv": "The file is not a readable CSV.",
    "no_header": "The first row is not a row of column names.",
    "duplicate_columns": "Some column names appear twice.",
    "invalid_mapping": "The column mapping is not an object of column name to target.",
    "unknown_columns": "The mapping names columns the file does not have.",
    "unknown_mapping_target": "The mapping names a target that is not a contact field or attribute.",
    "duplicate_mapping_target": "Several columns map to the same target.",
    "no_identity_column": "No column is mapped to phone or wa_user_id.",
    # Message templates.
    "template_invalid": "The template breaks one of Meta's creation rules; `errors` names the component and rule.",
    "template_refused": "Meta refused the template; the message quotes its reason, `errors` the field when known.",
    "template_not_editable": "Meta allows no edit of the template in its current status (or of that field).",
    "template_edit_limit": "An approved template can be edited once a day and 10 times in 30 days; try later.",
    "template_parameters": "Template parameters are missing or invalid; `errors` names each (`parameters.body[0]`).",
    # Campaigns (apps/campaigns, docs/campaigns.md).
    "invalid_transition": "The campaign can't go from its current status to the one asked (e.g. resume a completed "
                          "campaign); `errors.status` names the current one.",
    "daily_limit": "The audience is larger than what the portfolio's daily messaging limit has left; start again "
                   "with split_across_days to send the rest on the following days.",
    "template_not_sendable": "The template can't be sent in a campaign (not approved, another account's, or an "
                             "authentication template).",
    # Billing (tenants/billing, docs/billing.md).
    "plan_limit": "The plan's limit would be exceeded; `errors` names the limit, the usage, the maximum and the "
                  "upgrade path. Nothing was done.",
    "read_only": "Payments stopped and the grace period ran out: the business can read but not write until paid.",
    "billing_unavailable": "The payment provider can't be reached or refused the call; try again later.",
    "billing_feature_unavailable": "This installation's payment provider doesn't offer that (localstripe: no "
                                   "Checkout or Customer Portal).",
    "no_customer": "The business has no billing account yet: choose a plan first.",
    "already_subscribed": "The business is on that plan already.",
    "wallet_empty": "The business is billed through its reseller's prepaid wallet and the balance is zero or less: "
                    "nothing is sent until the reseller tops it up (incoming messages still arrive).",
    # Outbound webhooks (apps/developer, docs/webhooks-outbound.md).
    "webhook_endpoint_limit": "The business has as many webhook endpoints as it may; delete one first.",
    "webhook_delivery_redacted": "The event's data were erased with its contact, so it can't be sent again.",
    # The business as a whole: its export and its deletion (apps/portability, docs/data-export-and-deletion.md).
    "export_in_progress": "An export of the business is already being prepared; wait for it to finish.",
    "export_not_ready": "The export is not ready to download (still being prepared, or it failed).",
    "export_expired": "The export's download period is over and its file was deleted; request a new one.",
    "deletion_scheduled": "The business is already scheduled for deletion.",
    "no_deletion_scheduled": "The business is not scheduled for deletion, so there is nothing to cancel.",
    # Webhooks (Meta's and Stripe's calls to us).
    "invalid_signature": "The webhook's signature (X-Hub-Signature-256, Stripe-Signature) is missing or wrong.",
    "verification_failed": "The webhook subscription's hub.verify_token does not match.",
}


def error_code_schema() -> dict:
    """The OpenAPI schema of the envelope's `code`: an enum of the registry, with the meanings in its description."""
    codes = sorted(ERROR_CODES)
    return {
        "type": "string",
        "enum": codes,
        "description": "A stable code for programs to switch on:\n\n"
                       + "\n".join(f"* `{code}` - {ERROR_CODES[code]}" for code in codes),
        "example": "validation_error",
    }
