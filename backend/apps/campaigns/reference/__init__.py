"""Reference data for campaigns, kept apart from the engine: what Meta's error codes mean to a shop owner
(errors). Pure functions and data. Meta's rate card and a number's country and time zone (rate_card, regions) are
in the control plane, tenants.billing, where the wholesale wallet prices with them too."""
