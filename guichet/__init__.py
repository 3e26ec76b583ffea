"""Guichet Apprentissage: the Hauts-de-France one-stop shop for apprenticeship."""
