"""Dialogs: setup of a connection, confirmations, the history of runs."""
