"""Billing, in the control plane (public schema): plans and limits, subscriptions driven by Stripe's signed
webhooks, read-only mode after the grace period, and monthly usage counters. docs/billing.md."""
