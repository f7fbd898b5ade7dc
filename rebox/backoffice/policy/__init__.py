"""The policy editor for store owners: the policy in force and its history, drafts edited
through forms that speak the codec's JSON, a preview on one order, a simulation on the
store's orders (required before publishing), and the return reasons."""
