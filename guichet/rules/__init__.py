"""Pure rules of apprentice pay and aids, as typed functions over dated parameters.

A plain package (not a Django app), high in the dependency order: it imports nothing from the apps,
so offers, contracts, aids and the API can all use it. Every function takes its parameters
(`RuleSet`) and its dates explicitly; every result carries `reasons`, `reference` and `rules_version`.
The parameters themselves are data (data/reference/aids/parametres.json, then the aids app's tables).
"""
