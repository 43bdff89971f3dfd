"""The domain: aggregates, events, seals, catalogue types, workflow, gates.

Assessment statistics too. No I/O: nothing here reads a database, a file or the network.
"""
