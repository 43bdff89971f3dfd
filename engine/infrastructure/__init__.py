"""Infrastructure: settings, side tables, passwords, store availability.

Side tables hold what stays outside the events: sign-in sessions and failed sign-ins.
"""
