"""Reference data for campaigns, kept apart from the engine: what Meta's error codes mean to a shop owner
(errors), what a send is likely to cost (rate_card, a dated CSV), and where a recipient is, from the digits
of their number (regions). Pure functions and data; nothing here writes the database except the temporary
prefix table that regions.create_phone_regions_table() builds inside the caller's transaction."""
