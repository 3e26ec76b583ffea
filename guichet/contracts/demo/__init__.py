"""The synthetic demo population (données fictives): see generator.py and docs/synthetic-population.md."""
